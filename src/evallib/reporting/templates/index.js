/* The index's search, filters and sorting. Without this script the page shows everything.
   Words come from the page (#index-words, JSON in the page's language); this file holds none. */
(function () {
  "use strict";
  var table = document.getElementById("schools");
  var words = document.getElementById("index-words");
  if (!table || !words) { return; }
  words = JSON.parse(words.textContent);
  var lang = document.documentElement.lang;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("search"), project = document.getElementById("project");
  var status = document.getElementById("status"), shown = document.getElementById("shown");
  var projectCells = Array.prototype.slice.call(table.querySelectorAll("[data-project]"));
  document.getElementById("controls").hidden = false;

  function hasStatus(row, wanted, inProject) {
    return Array.prototype.some.call(row.querySelectorAll("td[data-status]"), function (cell) {
      return cell.getAttribute("data-status") === wanted &&
        (!inProject || cell.getAttribute("data-project") === inProject);
    });
  }

  function apply() {
    var q = search.value.trim().toLowerCase(), p = project.value, s = status.value, n = 0;
    projectCells.forEach(function (cell) {
      cell.hidden = Boolean(p) && cell.getAttribute("data-project") !== p;
    });
    rows.forEach(function (row) {
      var failed = row.getAttribute("data-failed") === "1";
      var ok = row.getAttribute("data-search").indexOf(q) !== -1 &&
        (!p || (" " + row.getAttribute("data-projects") + " ").indexOf(" " + p + " ") !== -1) &&
        (!s || (s === "failed" ? failed : hasStatus(row, s, p)));
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    Array.prototype.forEach.call(table.querySelectorAll("td[data-status]"), function (cell) {
      cell.classList.toggle("match", Boolean(s) && cell.getAttribute("data-status") === s);
    });
    shown.textContent = words.shown.replace("{shown}", n).replace("{total}", rows.length);
  }

  var sortable = Array.prototype.slice.call(table.tHead.querySelectorAll("th[data-sort]"));
  sortable.forEach(function (th) {
    var button = document.createElement("button"), key = "data-" + th.getAttribute("data-sort");
    button.type = "button";  /* a header sorts only when this script runs to make it a button */
    while (th.firstChild) { button.appendChild(th.firstChild); }
    th.appendChild(button);
    var numeric = th.getAttribute("data-type") === "number";
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      sortable.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.getAttribute(key), y = b.getAttribute(key);
        var d = numeric ? Number(x) - Number(y) : x.localeCompare(y, lang);
        return ascending ? d : -d;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });

  search.addEventListener("input", apply);
  project.addEventListener("change", apply);
  status.addEventListener("change", apply);
  apply();
})();
