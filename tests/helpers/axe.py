"""axe-core in a Playwright page: injected from node_modules (installed by `make setup` from
package-lock.json; the site serves no such script of its own), run, and its violations told
in a message a person can act on.

`violations(page)` runs axe-core's default rules; `violations(page, WCAG22)` the WCAG 2.2 AA
rules (`target-size` and `color-contrast` among them) and the best-practice rules on
landmarks and headings that the sweep (tests/browser/test_axe_sweep.py) holds every page to.
"""

from __future__ import annotations

from tests.conftest import REPO, skip_unless

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2, levels A and AA, and three best-practice rules besides
WCAG22 = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}
BEST_PRACTICE = ("landmark-unique", "page-has-heading-one", "region")
SHOWN = 6  # elements told of each violation


def require_axe() -> None:
    """Skip where axe-core is not installed, but fail under CI=true."""
    skip_unless(AXE.exists(), f"axe-core not found at {AXE} (make setup runs npm ci)")


def violations(page, options: dict | None = None) -> list[dict]:
    """axe-core's violations on the page, each with its rule, impact and elements (their
    HTML and their selectors). With WCAG22, only the best-practice rules named in
    BEST_PRACTICE are kept of the best-practice ones."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (options) => (await axe.run(document,
             {...options, resultTypes: ['violations']})).violations""",
        options or {},
    )
    found = []
    for violation in result:
        wcag = any(tag.startswith("wcag") for tag in violation["tags"])
        if options is WCAG22 and not wcag and violation["id"] not in BEST_PRACTICE:
            continue
        found.append(
            {
                "rule": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [n["html"][:200] for n in violation["nodes"]],
                "targets": [" ".join(map(str, n["target"])) for n in violation["nodes"]],
                "summaries": [n.get("failureSummary", "") for n in violation["nodes"]],
            }
        )
    return found


def described(found: list[dict], where: str) -> str:
    """The violations as lines to read: where, then each rule, its impact and its elements."""
    lines = [f"{len(found)} axe-core violation(s) on {where}:"]
    for violation in found:
        lines.append(f"- {violation['rule']} ({violation['impact']}): {violation['help']}")
        nodes = list(zip(violation["targets"], violation["summaries"], strict=True))
        for target, summary in nodes[:SHOWN]:
            detail = " ".join(summary.split())[:240]
            lines.append(f"    {target}: {detail}")
        if len(nodes) > SHOWN:
            lines.append(f"    … and {len(nodes) - SHOWN} more element(s)")
    return "\n".join(lines)
