"""Build a new workload from a catalog workload preset. Pure Python, no Qt."""

from __future__ import annotations

from typing import Any

from core.project import BatchSpec, LLMSpec, Schedule, VisionSpec, Workload

BATCH_WINDOW_START_H = BatchSpec().window_start_h


def _value(row: Any, name: str, default: Any) -> Any:
    value = getattr(row, name, None)
    return default if value in (None, "") else value


def workload_from_preset(preset: Any) -> Workload:
    """Return a workload with the preset's kind, category and default parameters.

    A batch preset's ``deadline_h`` is the length of its window. The project
    stores a daily window as start and deadline hours, so a window of 24 h or
    more is cut to 23 h, starting at the BatchSpec default start hour.
    """
    workload = Workload(name=preset.name, category=preset.category, kind=preset.kind)
    defaults_llm = LLMSpec()
    defaults_vision = VisionSpec()
    if preset.kind == "llm":
        latency_ms = _value(preset, "latency_target_ms", defaults_llm.max_time_per_token_ms)
        workload.llm = LLMSpec(
            model=_value(preset, "llm_model_key", defaults_llm.model),
            precision=_value(preset, "precision", defaults_llm.precision),
            context_tokens=int(_value(preset, "context_tokens", defaults_llm.context_tokens)),
            concurrent_users=int(_value(preset, "concurrent_users",
                                        defaults_llm.concurrent_users)),
            max_time_per_token_ms=float(latency_ms),
        )
        workload.schedule = Schedule(busy_start_h=7, busy_end_h=22, busy_utilization=0.6,
                                     quiet_utilization=0.05)
    elif preset.kind in ("vision", "trading"):
        workload.vision = VisionSpec(
            model_name=preset.name if preset.kind == "trading" else defaults_vision.model_name,
            gflop_per_frame=float(_value(preset, "vision_gflop_per_frame",
                                         defaults_vision.gflop_per_frame)),
            fps=float(_value(preset, "fps", defaults_vision.fps)),
            streams=int(_value(preset, "streams", defaults_vision.streams)),
            max_latency_ms=float(_value(preset, "latency_target_ms",
                                        defaults_vision.max_latency_ms)),
            # A trading model reads market data, not camera streams: no video decode.
            video_codec="none" if preset.kind == "trading" else defaults_vision.video_codec,
        )
        workload.schedule = Schedule(busy_utilization=1.0)
    elif preset.kind == "batch":
        window_h = int(min(float(_value(preset, "deadline_h", 10)), 23))
        workload.batch = BatchSpec(
            accelerator_hours_per_run=float(_value(preset, "batch_gpu_hours", 4.0)),
            window_start_h=BATCH_WINDOW_START_H,
            deadline_h=(BATCH_WINDOW_START_H + max(window_h, 1)) % 24,
        )
        workload.schedule = Schedule(busy_utilization=0.0, quiet_utilization=0.0)
    return workload
