"""The docs are drawn from the declarations: committed copies must be current."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
assert _spec is not None
assert _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


@pytest.mark.parametrize("name", generate.FILES)
def test_generated_parts_of_docs_are_current(name: str) -> None:
    text = (ROOT / name).read_text()
    assert "<!-- generated:" in text
    assert generate.render(text) == text, f"{name} is stale: run python docs/generate.py"


def test_readme_diagram_has_every_edge_of_the_latest_lifecycle() -> None:
    from svstate._lifecycle import DECLARATION

    readme = (ROOT / "README.md").read_text()
    for edge in DECLARATION.edges:
        assert f"{edge.source.name} --> {edge.dest.name}: {edge.trigger}" in readme


def test_readme_opens_with_the_install_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    head = readme[: readme.index("## ")]
    assert "python -m pip install . && python examples/preflight_demo.py" in head
    assert 'python -m pip install -e ".[test]" && python -m pytest' in head


def test_every_rule_has_a_current_page_with_checked_examples() -> None:
    pages = generate.rule_pages()
    assert len(pages) == len(__import__("svstate").rules("latest"))
    for name, text in pages.items():
        path = ROOT / name
        assert path.exists(), f"{name} is missing: run python docs/generate.py"
        assert path.read_text() == text, f"{name} is stale: run python docs/generate.py"


def _method_doctests() -> list[doctest.DocTest]:
    """The examples in the docstrings of public classes' methods and properties.

    pytest's doctest collection skips them: the classes are re-exported with
    the public module as ``__module__``, so doctest takes their methods (whose
    globals are the private module's) for imports and leaves them out.
    """
    import svstate.boto
    import svstate.testing

    finder = doctest.DocTestFinder(exclude_empty=True)
    found: dict[str, doctest.DocTest] = {}
    for module in (svstate, svstate.boto, svstate.testing):
        for name in module.__all__:
            obj = getattr(module, name)
            if not isinstance(obj, type):
                continue
            qualified = f"{module.__name__}.{name}"
            for test in finder.find(obj, qualified, module=False, globs=dict(vars(module))):
                if test.name != qualified and test.examples:
                    found.setdefault(test.name, test)
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("test", _method_doctests(), ids=lambda t: t.name)
def test_examples_in_method_docstrings_run(test: doctest.DocTest) -> None:
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    runner = doctest.DocTestRunner(optionflags=flags)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)
