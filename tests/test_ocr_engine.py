"""readers/ocr.py: the OCR engine's settings follow the cores the process may use (no threads
fighting over one core), without loading the engine."""
from reportgen.readers import ocr

THREADS = "EngineConfig.onnxruntime.intra_op_num_threads"


def test_threads_follow_the_process_affinity(monkeypatch):
    monkeypatch.setattr(ocr.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert ocr._params()[THREADS] == 1
    monkeypatch.setattr(ocr.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert ocr._params()[THREADS] == 4


def test_text_is_found_on_a_page_no_larger_than_the_detection_side():
    params = ocr._params()
    assert params["Det.limit_type"] == "max" and params["Det.limit_side_len"] == ocr.DETECT_SIDE
    assert params["Global.use_cls"] is False
