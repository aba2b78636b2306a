"""Small-cell suppression: no report lets a reader single out a teacher.

The rule (see ``docs/privacy.md``), applied to every table, chart and number a
report shows:

* a **group of fewer than** ``min_group`` **persons** (default 10: the threshold
  rule of the ESSnet guidelines for output checking, and the default of the
  ACRO output checker) is shown as "minder dan 10" ("fewer than 10" in English), never
  with its count;
* a **share, mean or interval** computed from such a group is suppressed too
  (a 0% or 100% share of a small group says what every member did);
* **secondary suppression**: where shown numbers would let a reader work out a
  suppressed one (a cumulative series, or a total next to its parts), the
  neighbouring numbers are suppressed as well;
* zero is shown: "nobody" reveals nothing about a person.

Teacher ids, birth years and dates never reach a report at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from evallib.core.text import LANGUAGES, num, t
from evallib.stats.estimates import Estimate

MIN_GROUP = 10
#: The word shown instead of a suppressed number, per language (``privacy.suppressed``).
SUPPRESSED = {lang: t("privacy.suppressed", lang) for lang in LANGUAGES}


def is_small(n: float | None, min_group: int = MIN_GROUP) -> bool:
    """True for a group that must not be shown: more than zero, fewer than ``min_group``.

    Examples
    --------
    >>> is_small(0), is_small(3), is_small(10)
    (False, True, False)
    """
    return n is not None and 0 < n < min_group


def count_text(n: float, min_group: int = MIN_GROUP, lang: str = "nl", hidden: bool = False) -> str:
    """A count of persons, "minder dan 10" for a small group, "onderdrukt" when ``hidden``.

    ``hidden``: the run hid this count to protect another (secondary suppression, see
    :func:`evallib.evaluation.published.secondary`).

    Examples
    --------
    >>> count_text(4), count_text(0), count_text(1234), count_text(29, hidden=True)
    ('minder dan 10', '0', '1.234', 'onderdrukt')
    >>> count_text(4, lang="en"), count_text(1234, lang="en")
    ('fewer than 10', '1,234')
    """
    if is_small(n, min_group):
        return t("privacy.fewer_than", lang, n=min_group)
    if hidden and n:
        return SUPPRESSED[lang]
    return num(round(n), lang=lang)


#: Methods whose estimate is the share of persons with an outcome (leaving, answering positively).
PERSON_SHARES = ("wilson", "kaplan-meier", "aalen-johansen")
#: The share of teacher-years that ended in leaving: n is persons, the events are leavers.
TEACHER_YEARS = "share of teacher-years"


def reveals_count(e: Estimate | None, min_group: int = MIN_GROUP) -> bool:
    """True for a share of persons whose n lets a reader compute a small count behind it.

    A share p of n persons with an outcome tells a reader that about p·n had it and
    (1 − p)·n did not: "24% (29 starters)" is 7 leavers. When either rounds to 1 …
    ``min_group`` − 1 the share is hidden (its n may be shown). For a Kaplan–Meier or
    Aalen–Johansen share with censoring p·n is not exact, but close: it is hidden the same way.
    A share of teacher-years that ended in leaving is shown beside its teacher-years, so its
    leavers (``events``) are hidden the same way. Shares of hours or means of scores are not
    counts of persons and are not affected.

    Examples
    --------
    >>> reveals_count(Estimate(0.24, 0.1, 0.4, 29, method="kaplan-meier"))  # 7 leavers
    True
    >>> reveals_count(Estimate(0.95, 0.8, 1.0, 40, method="wilson"))  # 2 did not
    True
    >>> reveals_count(Estimate(0.35, 0.2, 0.5, 97, method="kaplan-meier")), reveals_count(
    ...     Estimate(0.0, 0.0, 0.3, 12, method="kaplan-meier"))
    (False, False)
    >>> reveals_count(Estimate(0.24, 0.2, 0.3, 29, method="ratio estimator"))
    False
    >>> reveals_count(Estimate(0.055, 0.02, 0.12, 48, events=5, method=TEACHER_YEARS))
    True
    """
    if e is not None and e.method == TEACHER_YEARS:
        return e.events is not None and is_small(e.events, min_group)
    if e is None or e.method not in PERSON_SHARES or not e.n or e.estimate != e.estimate:
        return False
    having = round(e.estimate * e.n)
    return is_small(having, min_group) or is_small(round(e.n) - having, min_group)


def hidden(e: Estimate | None, min_group: int = MIN_GROUP) -> bool:
    """Whether an estimate must not be shown: a small group, hidden by the run, or a count behind it.

    Examples
    --------
    >>> hidden(Estimate(0.5, 0.3, 0.7, 8)), hidden(Estimate(0.5, 0.3, 0.7, 80))
    (True, False)
    >>> hidden(Estimate(0.5, 0.3, 0.7, 80, hidden=True))
    True
    """
    if e is None:
        return False
    return is_small(e.n, min_group) or e.hidden or e.share_hidden or reveals_count(e, min_group)


def shown_in_series(estimates: Sequence[Estimate], min_group: int = MIN_GROUP) -> list[bool]:
    """Which values of one cumulative series of shares of persons to show.

    The shares after 1, 2, … years of one group (k-year dropout): p·n of each is about the
    persons who had the outcome by then, so two shown values also tell how many had it in
    between. A value is shown when it passes :func:`hidden` and is estimable, and the step to
    the next shown value is not 1 … ``min_group`` − 1 persons either. The walk goes back from
    the last value, so the target's horizon keeps its value whenever it passes on its own.
    A chart draws only the values shown here, like the table beside it (``docs/privacy.md``).

    Examples
    --------
    >>> km = lambda p: Estimate(p, 0.0, 1.0, 100, method="kaplan-meier")
    >>> shown_in_series([km(0.0), km(0.12), km(0.15), km(0.30)])  # 12 -> 15: three left
    [True, False, True, True]
    >>> shown_in_series([km(0.05), km(0.30)])  # five left in the first year
    [False, True]
    """
    shown = [e is not None and e.estimable and not hidden(e, min_group) for e in estimates]
    later = None
    for i in reversed(range(len(estimates))):
        if not shown[i]:
            continue
        having = round(estimates[i].estimate * estimates[i].n)
        if later is not None and is_small(later - having, min_group):
            shown[i] = False
        else:
            later = having
    return shown


def n_text(e: Estimate, min_group: int = MIN_GROUP, lang: str = "nl") -> str:
    """The n of an estimate as a report may show it (see :func:`count_text`).

    Examples
    --------
    >>> n_text(Estimate(0.5, 0.3, 0.7, 8)), n_text(Estimate(0.5, 0.3, 0.7, 80, hidden=True))
    ('minder dan 10', 'onderdrukt')
    """
    return count_text(e.n, min_group, lang, hidden=e.hidden)


def safe(e: Estimate | None, min_group: int = MIN_GROUP) -> Estimate | None:
    """The estimate, or None when it rests on a small group."""
    if e is None or is_small(e.n, min_group):
        return None
    return e


def series(
    counts: Sequence[int], min_group: int = MIN_GROUP, cumulative: bool = False
) -> list[int | None]:
    """Counts to show, with small ones (and those that would reveal them) as None.

    For a cumulative series a value is also hidden when the step from the
    previous shown value is small: the difference would give the hidden count.

    Examples
    --------
    >>> series([12, 3, 15])
    [12, None, 15]
    >>> series([40, 43, 90], cumulative=True)  # 43 - 40 = 3 newcomers: hide 43
    [40, None, 90]
    """
    shown: list[int | None] = [None if is_small(c, min_group) else int(c) for c in counts]
    if cumulative:
        previous = 0
        for i, value in enumerate(shown):
            if value is None:
                continue
            if is_small(value - previous, min_group):
                shown[i] = None
            else:
                previous = value
    return shown


def total_and_part(
    total: int, part: int, min_group: int = MIN_GROUP, lang: str = "nl"
) -> tuple[str, str]:
    """A total and one of its parts, with the part hidden if it or the rest is small.

    Parameters
    ----------
    total, part
        Counts of persons; ``part`` is included in ``total``.
    min_group
        Smallest group that may be shown.
    lang
        Language of the words and the number format ("nl" or "en").

    Returns
    -------
    tuple of str
        The total and the part as shown.

    Examples
    --------
    >>> total_and_part(185, 95)
    ('185', '95')
    >>> total_and_part(40, 36)  # 4 non-starters would follow from the two numbers
    ('40', 'meer dan 30')
    >>> total_and_part(1040, 1036, lang="en"), total_and_part(8, 3, lang="en")
    (('1,040', 'more than 1,030'), ('fewer than 10', 'fewer than 10'))
    """
    if is_small(total, min_group):
        shown = count_text(total, min_group, lang)
        return shown, shown
    if is_small(part, min_group):
        return num(total, lang=lang), count_text(part, min_group, lang)
    if is_small(total - part, min_group):
        return num(total, lang=lang), t(
            "privacy.more_than", lang, n=num(total - min_group, lang=lang)
        )
    return num(total, lang=lang), num(part, lang=lang)


def hide_with_total(counts: Sequence[float], min_group: int = MIN_GROUP) -> list[bool]:
    """Which parts of a shown total to hide: the small ones, and one more if only one would be.

    With the total shown, a single hidden part equals the total minus the others; hiding the
    next smallest part as well leaves only the sum of the two.

    Examples
    --------
    >>> hide_with_total([251, 135, 4, 60])
    [False, False, True, True]
    >>> hide_with_total([251, 135, 40, 60]), hide_with_total([3, 5, 60])
    ([False, False, False, False], [True, True, False])
    """
    hidden = [is_small(c, min_group) for c in counts]
    if sum(hidden) == 1 and len(counts) > 1:
        shown = [i for i, h in enumerate(hidden) if not h]
        hidden[min(shown, key=lambda i: counts[i])] = True
    return hidden
