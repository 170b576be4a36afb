"""The summary panel never hides a badge it can avoid: on a laptop-sized window the bottom right
corner is often the "What you owe" column, where the badges are, so the panel takes the first
corner that leaves them in view and clickable, and moves again when scrolling brings a badge
under it. On a wide window it stays where it always was, at the bottom right."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.harness import Extension, wait_until

pytestmark = pytest.mark.browser


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return dict(box)


def _covers(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _annotated_demo(ext: Extension, width: int, height: int) -> Any:
    page = ext.open("/demo")
    page.set_viewport_size({"width": width, "height": height})
    wait_until(lambda: page.locator('[data-eobx="badge"]').count() == 2, timeout=15)
    wait_until(lambda: ext.report(page), timeout=10)
    return page


def _hidden_badges(page: Any) -> int:
    panel = _box(page.locator('[data-eobx="panel"]'))
    badges = page.locator('[data-eobx="badge"]')
    return sum(1 for i in range(badges.count()) if _covers(panel, _box(badges.nth(i))))


def test_on_a_laptop_screen_the_panel_leaves_every_badge_in_view_and_clickable(ext: Extension) -> None:
    page = _annotated_demo(ext, 1280, 800)
    page.wait_for_timeout(100)  # a frame for the placement after the resize

    assert _hidden_badges(page) == 0
    panel = _box(page.locator('[data-eobx="panel"]'))
    assert panel["y"] < 100, "moved to the top right, the first corner free of badges"
    for i in (1, 0):  # from the bottom up: an open badge's details hang below it
        page.locator('[data-eobx="badge"]').nth(i).click()  # the panel takes no click meant for it
    assert ext.page_errors == []


def test_on_a_wide_screen_the_panel_stays_at_the_bottom_right(ext: Extension) -> None:
    page = _annotated_demo(ext, 1920, 1080)

    panel = _box(page.locator('[data-eobx="panel"]'))
    assert _hidden_badges(page) == 0
    assert panel["x"] + panel["width"] == pytest.approx(1920 - 16, abs=2)
    assert panel["y"] + panel["height"] == pytest.approx(1080 - 16, abs=2)


def test_scrolling_a_badge_under_the_panel_moves_the_panel(ext: Extension) -> None:
    page = _annotated_demo(ext, 1280, 800)
    page.wait_for_timeout(100)
    panel = _box(page.locator('[data-eobx="panel"]'))
    badge = _box(page.locator('[data-eobx="badge"]').first)
    # Scroll so that the first badge sits exactly where the panel is now.
    page.evaluate(
        """([extra]) => {
            document.body.style.paddingBottom = '1200px';
            window.scrollBy(0, extra);
        }""",
        [badge["y"] - panel["y"]],
    )
    page.wait_for_timeout(200)
    assert _hidden_badges(page) == 0
    assert ext.page_errors == []
