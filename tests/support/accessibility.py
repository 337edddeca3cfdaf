"""axe-core, run inside the page the browser test is looking at."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def axe_violations(page) -> list[str]:
    """Every axe-core violation on ``page`` as it is now, of any impact, one line each."""
    results = _axe.run(page)
    found = []
    for violation in results.response["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return found


def assert_no_axe_violations(page, state: str) -> None:
    """Fail naming ``state`` (which page, which screen) and each violation axe-core found."""
    found = axe_violations(page)
    assert not found, f"axe-core on {state} ({page.url}):\n" + "\n".join(found)
