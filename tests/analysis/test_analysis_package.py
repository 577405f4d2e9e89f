"""The archive.analysis package as a whole: its public names, the stable class paths its classes pickle
under, and an import that builds no Unicode table."""

from __future__ import annotations

import pickle
import pickletools
import subprocess
import sys

from whoosh.analysis import Composable

import archive.analysis
from archive.analysis import ANALYZERS, PositionKeepingStopFilter, UnicodeWordTokenizer, arabic_analyzer


def _our_classes() -> list[type]:
    return [
        obj
        for name in archive.analysis.__all__
        if isinstance(obj := getattr(archive.analysis, name), type) and issubclass(obj, Composable)
    ]


def test_public_names_resolve() -> None:
    for name in archive.analysis.__all__:
        assert getattr(archive.analysis, name) is not None, name


def test_every_picklable_class_has_the_package_as_its_module() -> None:
    classes = _our_classes()
    # two tokenizers, WordFilter and its 10 filters, the stop filter, FusedAnalyzer, the spelling and
    # clitic analyzers, the names analyzer
    assert len(classes) == 19
    for cls in classes:
        assert cls.__module__ == "archive.analysis", cls
        assert getattr(archive.analysis, cls.__qualname__) is cls


def test_analyzers_and_filters_pickle_under_the_package_path() -> None:
    objects = [factory() for factory in ANALYZERS.values()]
    objects += [UnicodeWordTokenizer(split_apostrophes=True), PositionKeepingStopFilter({"x"})]
    for obj in objects:
        data = pickle.dumps(obj, 2)
        ours = {arg for op, arg, _ in pickletools.genops(data) if op.name == "GLOBAL" and arg.startswith("archive")}
        assert ours and {g.split()[0] for g in ours} == {"archive.analysis"}, ours
        assert pickle.loads(data) == obj


def test_import_builds_no_table_and_no_query_parser() -> None:
    code = (
        "import sys, archive.analysis\n"
        "from archive.analysis import tables, tokenizer\n"
        "assert tables.unicode_scan.cache_info().currsize == 0\n"
        "assert tokenizer.token_pattern.cache_info().currsize == 0\n"
        "assert 'whoosh.qparser' not in sys.modules\n"
        "assert [t.text for t in archive.analysis.arabic_analyzer()('الكتاب ٢٠٢٤')] == ['كتاب', '2024']\n"
        "assert tables.unicode_scan.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tables_are_built_once() -> None:
    from archive.analysis import tables

    list(arabic_analyzer()("x ١", positions=True))
    list(UnicodeWordTokenizer(split_apostrophes=True)("x"))
    assert tables.unicode_scan.cache_info().currsize == 1
    before = tables.unicode_scan.cache_info().misses
    list(arabic_analyzer()("y ٢", positions=True, chars=True))
    assert tables.unicode_scan.cache_info().misses == before
