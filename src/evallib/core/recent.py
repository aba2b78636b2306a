"""A small memory of recent results, for work a process may be asked to repeat."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    """The results for the last ``size`` distinct keys; the least recently used goes first.

    For keys that say everything a result depends on (a digest of the input), so a hit is
    the result the work would give again.

    Examples
    --------
    >>> recent = Recent(2)
    >>> recent.get("a", lambda: 1), recent.get("b", lambda: 2), recent.get("a", lambda: 9)
    (1, 2, 1)
    >>> recent.get("c", lambda: 3), "a" in recent, "b" in recent
    (3, True, False)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._results: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result kept for ``key``, else ``make()``, kept."""
        if key in self._results:
            self._results.move_to_end(key)
        else:
            self._results[key] = make()
            if len(self._results) > self.size:
                self._results.popitem(last=False)
        return self._results[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._results
