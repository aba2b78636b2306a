"""Write the JSON Schema of programme files (``programmes/programme.schema.json``).

Editors that understand JSON Schema use it to check and complete programme files; a test
keeps the committed file current. Regenerate with
``python -m evallib.contract.schema_file > programmes/programme.schema.json``.
"""

from __future__ import annotations

import json

from evallib.contract.programme import programme_schema


def schema_text() -> str:
    """The schema as the committed file holds it (sorted keys, two-space indent).

    Examples
    --------
    >>> schema_text().startswith("{")
    True
    """
    return json.dumps(programme_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(schema_text(), end="")
