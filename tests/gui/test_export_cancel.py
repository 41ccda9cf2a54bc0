"""Cancelling a PDF export leaves no file behind and frees the Export button."""

from tests.gui.conftest import PLAN_TIMEOUT_MS


def _review_with_plan(qtbot, window):
    review = window.review_page
    window.controller.request_plan(force=True)
    qtbot.waitUntil(lambda: window.controller.plan is not None
                    and not window.controller.plan_stale, timeout=PLAN_TIMEOUT_MS)
    return review


def test_cancelled_export_writes_no_file(qtbot, window, tmp_path):
    review = _review_with_plan(qtbot, window)
    pdf_path = tmp_path / "cancelled.pdf"

    review.export_to(pdf_path)
    assert review.export_cancel_button.isVisibleTo(review)
    review.cancel_export()
    # The worker finishes writing in the background, then deletes the partial file.
    assert review.export_runner.wait_for_done(PLAN_TIMEOUT_MS)

    assert "cancelled" in review.export_status.text()
    assert review.export_button.isEnabled()
    assert not pdf_path.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_export_after_cancel_still_works(qtbot, window, tmp_path):
    review = _review_with_plan(qtbot, window)
    review.export_to(tmp_path / "first.pdf")
    review.cancel_export()

    pdf_path = tmp_path / "second.pdf"
    with qtbot.waitSignal(review.export_runner.finished, timeout=PLAN_TIMEOUT_MS):
        review.export_to(pdf_path)

    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert not review.export_progress.isVisibleTo(review)
