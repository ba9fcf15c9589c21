"""readers/scan.py: a scanned page's image cleaned (red seal, light, skew) and its broken rules joined.

Drawn pages (a ruled table with text-like strokes), no OCR: each test takes well under a second."""
import numpy as np
import pytest

cv2 = pytest.importorskip("cv2")
from reportgen.readers import scan  # noqa: E402

ROWS, COLS = (200, 260, 320, 380, 440, 500), (100, 400, 600, 800, 1000)


def _page() -> np.ndarray:
    """A white page with a 5×4 ruled table, a title of short strokes and digits-like blobs in cells."""
    page = np.full((1400, 1100), 255, np.uint8)
    for y in ROWS:
        cv2.line(page, (COLS[0], y), (COLS[-1], y), 0, 2)
    for x in COLS:
        cv2.line(page, (x, ROWS[0]), (x, ROWS[-1]), 0, 2)
    for k in range(30):  # a line of "characters": strokes shorter than a rule
        x = 150 + 22 * k
        cv2.line(page, (x, 120), (x + 14, 120), 0, 2)
        cv2.line(page, (x + 7, 110), (x + 7, 132), 0, 2)
    for y in ROWS[:-1]:
        for x in COLS[:-1]:
            cv2.putText(page, "1234", (x + 40, y + 42), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    return page


def _rotate(page: np.ndarray, degrees: float) -> np.ndarray:
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


@pytest.mark.parametrize("degrees", [-1.9, -0.6, 0.3, 1.2])
def test_skew_is_measured_and_undone(degrees):
    page = _rotate(_page(), degrees)
    assert scan.skew_angle(page) == pytest.approx(degrees, abs=0.06)
    levelled, angle = scan.clean(page)
    assert abs(scan.skew_angle(levelled)) < 0.06


def test_a_level_page_is_left_untouched():
    page = _page()
    assert abs(scan.skew_angle(page)) < 0.01
    assert scan.level(page, scan.skew_angle(page)) is page


def test_broken_rules_are_joined_and_text_strokes_are_not_rules():
    page = _page()
    for k, y in enumerate(ROWS):  # the scan breaks every horizontal rule in a few places (gaps of 3–9 px)
        for x in range(COLS[0] + 60 + 17 * k, COLS[-1] - 40, 130):
            page[y - 3:y + 3, x:x + 3 + (x + k) % 7] = 255
    across, down = scan.rules(page, 48)
    assert sorted(round(r) for r, _, _ in across) == pytest.approx(list(ROWS), abs=2)
    assert all(a <= COLS[0] + 2 and b >= COLS[-1] - 2 for _, a, b in across)  # each one piece, end to end
    assert sorted(round(c) for c, _, _ in down) == pytest.approx(list(COLS), abs=2)


def test_red_seal_drops_out_and_black_text_stays():
    grey = _page()
    colour = np.stack([grey] * 3, axis=-1)
    cv2.circle(colour, (500, 330), 120, (40, 40, 220), 6)  # BGR red ring over the table
    cleaned = scan.grey(colour)
    assert cleaned[330, 380] > 200              # on the ring, off the table's ink: paper now
    assert cleaned[ROWS[0], 300] < 60            # a black rule under it: still ink


def test_uneven_light_is_flattened():
    page = _page().astype(np.float32)
    shade = np.linspace(1.0, 0.55, page.shape[1], dtype=np.float32)[None, :]  # darker to the right
    flat = scan.flatten((page * shade).astype(np.uint8))
    assert flat[700, 1050] > 240 and flat[700, 50] > 240          # paper white on both sides
    assert flat[ROWS[2], 950] < 80                                 # a rule in the shade still ink


def test_rules_end_on_a_thick_border_not_beyond_it():
    """A rule's ink runs to the outer edge of a thick border; read as is, that edge would make an
    extra, empty column."""
    page = _page()
    cv2.line(page, (COLS[-1], ROWS[0]), (COLS[-1], ROWS[-1]), 0, 7)
    for y in ROWS:
        cv2.line(page, (COLS[0], y), (COLS[-1] + 3, y), 0, 2)
    across, down = scan.rules(page, 48)
    border = min((c for c, _, _ in down), key=lambda c: abs(c - COLS[-1]))
    assert {b for _, _, b in across} == {border}


def _keystone(page: np.ndarray, share: float) -> np.ndarray:
    """The page as photographed slightly from below: its top edge ``share`` narrower than its bottom."""
    h, w = page.shape
    d = share * w / 2
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[d, 0], [w - d, 0], [w, h], [0, h]])
    return cv2.warpPerspective(page, cv2.getPerspectiveTransform(src, dst), (w, h), flags=cv2.INTER_LINEAR,
                               borderValue=255)


@pytest.mark.parametrize("share", [0.03, 0.06])
def test_a_page_photographed_in_perspective_is_squared(share):
    page = _keystone(_page(), share)
    before = scan.table_corners(page)
    assert (before[2][0] - before[3][0]) - (before[1][0] - before[0][0]) > 3   # top narrower than bottom
    fixed = scan.squared(page)
    corners = scan.table_corners(fixed)
    room = 2 * scan.MIN_SHIFT  # a corner nearer its place than MIN_SHIFT is not worth a warp's blur
    assert abs(corners[0][0] - corners[3][0]) < room and abs(corners[1][0] - corners[2][0]) < room  # upright sides
    assert abs(corners[0][1] - corners[1][1]) < room and abs(corners[2][1] - corners[3][1]) < room  # level top, bottom
    _, down = scan.rules(fixed, 48)
    assert len(down) == len(COLS)                                # every column rule one straight piece


def test_a_square_table_is_not_warped():
    page = _page()
    assert scan.squared(page) is page


def test_a_photocopys_dark_border_is_not_taken_for_the_tables_frame():
    page = _page()
    band = np.int32([[1045, 0], [1100, 0], [1100, 1400], [1070, 1400]])  # its inner edge tilted a little
    cv2.fillPoly(page, [band], 40)
    corners = scan.table_corners(page)
    assert abs(corners[1][0] - COLS[-1]) < 3 and abs(corners[2][0] - COLS[-1]) < 3
    assert scan.squared(page) is page
