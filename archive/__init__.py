"""archive: a bilingual (Arabic/English) document ingestion and archive tool.

    from archive import Archive
    arc = Archive("~/news-archive")
    for result in arc.add(["saved-pages/"]):
        print(result.status, result.id, result.title)
    for hit in arc.search('"Africa Corps" Mali').hits:
        print(hit.id, hit.title)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import VERSION as __version__

if TYPE_CHECKING:  # pragma: no cover
    from .api import Archive
    from .model import AddResult

__all__ = ["Archive", "AddResult", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy, so `import archive.model` in a worker process does not pull in the index stack.
    if name == "Archive":
        from .api import Archive

        return Archive
    if name == "AddResult":
        from .model import AddResult

        return AddResult
    raise AttributeError(name)
