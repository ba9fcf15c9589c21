"""readers/ocr.py: the OCR engine's settings follow the cores the process may use (no threads
fighting over one core), without loading the engine."""
from reportgen.readers import ocr

THREADS = "EngineConfig.onnxruntime.intra_op_num_threads"


def test_threads_follow_the_process_affinity(monkeypatch):
    monkeypatch.setattr(ocr.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert ocr._params()[THREADS] == 1
    monkeypatch.setattr(ocr.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert ocr._params()[THREADS] == 4

