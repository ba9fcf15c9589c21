"""Every seed as an example: rendering the example's data gives back the published report's
content — headings, paragraphs and every table number — compared after removing the web
chrome listed in the example (see seedcmp.py for the normalisation)."""
from __future__ import annotations

import hashlib

import pytest

from conftest import ROOT
from reportgen.loader import load_report
from reportgen.render import render_loaded
from seedcmp import SEED_EXAMPLES, SEEDS, first_difference, rendered_stream, seed_stream, similarity

SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.mark.parametrize("seed", SEED_EXAMPLES, ids=[s.name[:3] for s in SEED_EXAMPLES])
def test_rendered_example_reproduces_the_seed(seed):
    loaded = load_report(str(ROOT / "examples" / seed.example))
    txt = render_loaded(loaded, ["txt"], script=seed.script)["txt"].decode("utf-8")
    published = seed_stream(seed, (SEEDS / seed.name).read_text("utf-8"))
    rendered = rendered_stream(seed, txt)
    assert len(published) > 1500
    assert rendered == published, first_difference(published, rendered)
    assert similarity(published, rendered) == 1.0


@pytest.mark.parametrize("seed", SEED_EXAMPLES, ids=[s.name[:3] for s in SEED_EXAMPLES])
def test_every_chrome_item_is_listed_in_the_example(seed):
    comment = "\n".join(line for line in (ROOT / "examples" / seed.example).read_text("utf-8").splitlines()
                        if line.startswith("#"))
    for line in seed.chrome_lines + tuple(t for t, _ in seed.chrome_nth) + seed.chrome_text:
        key = line.strip("• ").split(":")[0].strip()[:4]
        assert key in comment, f"{line!r} is left out but not listed in {seed.example}"


@pytest.mark.skipif(not SHARED_SEEDS.exists(), reason="shared/seeds not beside the checkout")
def test_seed_fixtures_are_unedited_copies():
    for seed in SEED_EXAMPLES:
        ours = hashlib.sha256((SEEDS / seed.name).read_bytes()).hexdigest()
        theirs = hashlib.sha256((SHARED_SEEDS / seed.name).read_bytes()).hexdigest()
        assert ours == theirs, seed.name
