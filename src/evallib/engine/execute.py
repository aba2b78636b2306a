"""Warm-kernel execution of report notebooks, in one process or many.

The plain way (papermill, then nbconvert, per school) pays for a kernel start
and all imports for every school. Here each worker keeps **one kernel alive**
and executes the parameterized notebook for school after school in it:

* parameters are injected with papermill's own ``parameterize_notebook``;
* cells run with nbclient on the warm kernel, after a cell that removes the
  previous school's variables and cached outputs (so nothing leaks from one
  school to the next; imported modules and evallib's loaded data stay, which is
  the point);
* HTML is rendered in the worker process with nbconvert;
* kernels use IPC sockets (:mod:`evallib.engine.kernels`), so parallel workers never
  race for TCP ports;
* a failure discards that worker's kernel (and its socket folder); the worker's next school
  starts a fresh one. Restarting a kernel in place reuses its IPC socket paths, and after a
  raised error that raced with the dying kernel: the next school waited 60 s for a kernel
  that never answered, instead of showing the error.

:func:`build` is the unit of work. It is a plain function of picklable
arguments, so the same call runs in-process (``sequential``), in a process pool
(``local``) or on a dask.distributed cluster (``dask``); all give the same bytes.
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import time
import traceback
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from evallib.core.text import visible
from evallib.engine.kernels import IPCKernelManager
from evallib.engine.protocol import RESET_TAG, Built, Task
from evallib.engine.render import notebook_html
from evallib.reporting.records import RESULTS_MIME

# Between schools: drop the notebook's own variables and the output cache (which would keep every
# report's images alive), keep imports and loaded data. IPython's %reset does the same but ends
# with a full garbage collection that costs a quarter second per school on a large heap.
_RESET = """\
_ip = get_ipython()
for _name in [n for n in _ip.user_ns if n not in _ip.user_ns_hidden and not n.startswith("_")]:
    del _ip.user_ns[_name]
for _name in [n for n in _ip.user_ns if n[:1] == "_" and n.lstrip("_i").isdigit()]:
    del _ip.user_ns[_name]
_ip.user_ns["_oh"].clear()
_ip.displayhook._ = _ip.displayhook.__ = _ip.displayhook.___ = ""
_ip.history_manager.reset(new_session=False)
_ip.last_execution_result = None
"""


class WarmKernel:
    """One kernel that executes notebook after notebook."""

    def __init__(self, kernel_name: str, cwd: Path) -> None:
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.km = IPCKernelManager(kernel_name=kernel_name)
        self.kc = None

    def execute(self, nb: nbformat.NotebookNode, timeout: int) -> nbformat.NotebookNode:
        client = NotebookClient(
            nb,
            km=self.km,
            timeout=timeout,
            kernel_name=self.kernel_name,
            allow_errors=False,
            record_timing=False,
            # A busy kernel may send one print as several stream messages; merged, the
            # report's bytes do not depend on the machine's load.
            coalesce_streams=True,
        )
        client.kc = self.kc
        client.execute(cwd=str(self.cwd))
        self.kc = client.kc
        return client.nb

    def shutdown(self) -> None:
        self._stop_client()
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)

    def _stop_client(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None


_KERNELS: dict[tuple[str, str], WarmKernel] = {}


def warm_kernel(kernel_name: str, cwd: Path) -> WarmKernel:
    """This process's warm kernel for the notebooks in ``cwd``, started on first use."""
    key = (kernel_name, str(cwd))
    if key not in _KERNELS:
        if not _KERNELS:
            atexit.register(shutdown_kernels)
        _KERNELS[key] = WarmKernel(kernel_name, cwd)
    return _KERNELS[key]


def _discard(kernel_name: str, cwd: Path) -> None:
    """Stop this process's kernel for ``cwd`` after a failure; the next task starts a fresh one."""
    kernel = _KERNELS.pop((kernel_name, str(cwd)), None)
    if kernel is not None:
        with contextlib.suppress(Exception):  # it may be dead already
            kernel.shutdown()


def shutdown_kernels() -> None:
    """Stop every warm kernel of this process (also run at exit)."""
    while _KERNELS:
        _, kernel = _KERNELS.popitem()
        with contextlib.suppress(Exception):  # best effort at exit
            kernel.shutdown()


def notebook_imports(folder: Path) -> str:
    """The import statements of the notebooks in ``folder``, each once: what a kernel that is
    to run them can load before the first task arrives.

    Examples
    --------
    >>> print(notebook_imports(Path("notebooks")))
    from evallib.reporting.region import RegionReport
    from evallib.reporting.school import SchoolReport
    """
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            try:
                tree = ast.parse(cell.source) if cell.cell_type == "code" else None
            except SyntaxError:  # IPython magics: the notebook's own run shows any real error
                continue
            found += [
                ast.get_source_segment(cell.source, node)
                for node in (tree.body if tree else [])
                if isinstance(node, ast.Import | ast.ImportFrom)
            ]
    return "\n".join(dict.fromkeys(found))


def warm_up(kernel_name: str, cwd: str) -> None:
    """Start this process's kernel for the notebooks in ``cwd`` and run their imports in it,
    before any task arrives.

    Best effort: if it fails, the first real task starts the kernel again and reports the error.
    """
    kernel = warm_kernel(kernel_name, Path(cwd))
    try:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(notebook_imports(Path(cwd)))]
        kernel.execute(nb, timeout=300)
    except Exception:
        _discard(kernel_name, Path(cwd))


def _prepare(task: Task) -> nbformat.NotebookNode:
    nb = load_notebook_node(
        str(task.notebook)
    )  # papermill's loader: adds the metadata it relies on
    nb = parameterize_notebook(nb, task.parameters, report_mode=True)
    reset = nbformat.v4.new_code_cell(_RESET)
    reset.metadata["tags"] = [RESET_TAG]
    nb.cells.insert(0, reset)
    return nb


def _take_results(nb: nbformat.NotebookNode) -> list:
    """Pop the machine-readable target statuses the notebook displays (not for readers)."""
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIME in data:
                results.extend(data[RESULTS_MIME])
            else:
                kept.append(output)
        cell.outputs = kept
    nb.cells = [c for c in nb.cells if RESET_TAG not in c.metadata.get("tags", [])]
    return results


def _error_text(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, CellExecutionError):
        return visible(f"{exc.ename}: {exc.evalue}"), str(exc)[-2000:]
    return visible(f"{type(exc).__name__}: {exc}"), "".join(traceback.format_exception_only(exc))


def build(task: Task) -> Built:
    """Execute and render one report on this process's warm kernel.

    Never raises for a notebook error: the result carries the error the notebook raised,
    and this worker's kernel is discarded so its next task starts on a fresh one.
    """
    started = time.perf_counter()
    kernel = warm_kernel(task.kernel_name, task.notebook.parent)
    try:
        executed = kernel.execute(_prepare(task), task.timeout)
        results = _take_results(executed)
        html = notebook_html(
            executed, task.title, synthetic=task.synthetic, lang=task.lang, appendix=task.appendix
        )
        return Built(
            key=task.key,
            ok=True,
            html=html,
            seconds=time.perf_counter() - started,
            results=results,
        )
    except Exception as exc:
        error, detail = _error_text(exc)
        _discard(task.kernel_name, task.notebook.parent)
        return Built(
            key=task.key,
            ok=False,
            seconds=time.perf_counter() - started,
            error=error,
            detail=detail,
        )
