"""The pages load the academy's subset of Bootstrap's CSS (scripts/bootstrap_subset.py):
it must hold every rule our markup can match, and be rebuilt when a template starts
using a Bootstrap class the subset lacks."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bootstrap_subset", ROOT / "scripts/bootstrap_subset.py")
bootstrap_subset = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bootstrap_subset)


def test_the_committed_subset_is_the_one_our_markup_needs():
    assert bootstrap_subset.main(["--check"]) == 0, "run .venv/bin/python scripts/bootstrap_subset.py"


def test_a_rule_stays_only_if_every_class_it_needs_is_used():
    source = (
        ".btn{a:1}.carousel{b:2}.btn,.carousel-item{c:3}.btn:not(.disabled){d:4}"
        "@media (min-width:576px){.row{e:5}.offcanvas{f:6}}h1{g:7}[data-bs-theme=dark]{h:8}"
    )
    subset = bootstrap_subset.build(source, {"btn", "row"})
    assert subset == ".btn{a:1}.btn{c:3}.btn:not(.disabled){d:4}@media (min-width:576px){.row{e:5}}h1{g:7}\n"


def test_the_subset_is_much_smaller_and_keeps_what_the_pages_use():
    subset = bootstrap_subset.SUBSET.read_text()
    assert len(subset.encode()) < 0.35 * bootstrap_subset.SOURCE.stat().st_size
    for rule in (".container{", ".btn-primary{", ".alert-success{", ".modal-backdrop{", ".visually-hidden,"):
        assert rule in subset
    assert ".carousel{" not in subset and ".offcanvas{" not in subset
    assert "Licensed under MIT" in subset
