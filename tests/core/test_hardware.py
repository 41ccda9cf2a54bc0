"""Hardware choice: ranking, reasons, precise rejections, warnings and power caps."""

import pytest

from core.hardware import choose_hardware
from core.project import BatchSpec, LLMSpec, Schedule, VisionSpec, Workload


def _llm(name="chat", model="llama-3-8b", precision="fp16", **overrides):
    spec = dict(model=model, precision=precision, context_tokens=4096, concurrent_users=4,
                prompt_tokens=1000, min_tokens_per_s_per_user=5, max_time_per_token_ms=100,
                max_time_to_first_token_ms=3000)
    spec.update(overrides.pop("llm", {}))
    return Workload(name=name, category="realtime_llm_chat", kind="llm", llm=LLMSpec(**spec),
                    schedule=Schedule(), **overrides)


def _option(choice, key):
    return next(option for option in choice.options if option.accelerator_key == key)


def test_choice_names_runner_up(catalog_tables):
    choice = choose_hardware(_llm(), catalog_tables)
    assert choice.chosen.feasible
    assert choice.runner_up is not None
    assert choice.chosen.average_wall_w <= choice.runner_up.average_wall_w
    assert "Runner-up" in choice.reason


def test_rank_by_cost_picks_cheapest(catalog_tables):
    choice = choose_hardware(_llm(), catalog_tables, rank_by="cost")
    feasible = [option for option in choice.options
                if option.feasible and option.capital_cost is not None
                and option.form_factor != "sxm"]
    assert choice.chosen.capital_cost == min(option.capital_cost for option in feasible)
    assert "lowest capital cost" in choice.reason


def test_memory_rejection_gives_both_sizes(catalog_tables):
    # Llama-3-70B FP16 on one Orin NX 16GB: 141 GB of weights; usable
    # (16 x 1.0737 - 2) x 0.9 = 13.7 GB.
    choice = choose_hardware(_llm(model="llama-3-70b"), catalog_tables)
    why_not = _option(choice, "jetson-orin-nx-16gb").why_not
    assert why_not.startswith("memory: needs 14")
    assert "has 13.7 GB usable" in why_not


def test_latency_rejection_gives_value_and_target(catalog_tables):
    # Llama-3-8B FP16 on the AGX Orin 64GB, 4 users of 4096 tokens: 16.06 GB of
    # weights + 131,072 B x 4 x 2048 = 1.07 GB of KV per step, over 204.8 GB/s
    # x 0.8 = 104.6 ms per token against a 40 ms target.
    workload = _llm(llm={"max_time_per_token_ms": 40})
    why_not = _option(choose_hardware(workload, catalog_tables), "jetson-agx-orin-64gb").why_not
    assert why_not.startswith("latency: time per token 104.6 ms")
    assert "vs target 40 ms" in why_not


def test_vision_latency_rejection(catalog_tables):
    # YOLOv8x on an Orin NX: 10 ms fixed + 257.8 / 14.4 = 27.9 ms vs 20 ms.
    workload = Workload(name="cams", category="video_analytics", kind="vision",
                        vision=VisionSpec(gflop_per_frame=257.8, fps=10, streams=1,
                                          max_latency_ms=20))
    why_not = _option(choose_hardware(workload, catalog_tables), "jetson-orin-nx-16gb").why_not
    assert why_not == "latency: 27.90 ms per frame vs target 20 ms"


def test_decode_binding_is_named(catalog_tables):
    # 100 x 1080p30 H.264 YOLOv8n streams on L4: compute 1 card, decode 2.
    workload = Workload(name="cams", category="video_analytics", kind="vision",
                        vision=VisionSpec(gflop_per_frame=8.7, fps=30, streams=100,
                                          max_latency_ms=200),
                        accelerator_override="l4")
    choice = choose_hardware(workload, catalog_tables)
    assert choice.chosen.accelerator_count == 2
    assert "binding limit: video decode" in choice.reason
    assert any("video decode sets the count" in warning for warning in choice.warnings)


def test_av_perception_off_embedded_warns(catalog_tables):
    workload = Workload(name="car", category="av_perception", kind="vision",
                        vision=VisionSpec(gflop_per_frame=78.9, fps=30, streams=6,
                                          max_latency_ms=30),
                        accelerator_override="l4")
    choice = choose_hardware(workload, catalog_tables)
    assert any("unified memory" in warning for warning in choice.warnings)


def test_scientific_batch_warns_fp64(catalog_tables):
    workload = Workload(name="science", category="scientific_batch", kind="batch",
                        batch=BatchSpec())
    choice = choose_hardware(workload, catalog_tables)
    assert any("FP64" in warning for warning in choice.warnings)


def test_batch_model_too_large_rejected(catalog_tables):
    # Llama-3-70B FP16 with 32 sequences of 4096 tokens cannot fit 4 x L4
    # (24 x 1.0737 x 0.9 = 23.2 GB usable each): 35.3 GB of weights per card alone.
    workload = Workload(name="synthetic", category="synthetic_data", kind="batch",
                        batch=BatchSpec(model="llama-3-70b", precision="fp16"))
    choice = choose_hardware(workload, catalog_tables)
    why_not = _option(choice, "l4").why_not
    assert why_not.startswith("memory: llama-3-70b with 32 sequences of 4096 tokens needs")
    assert "has 23.2 GB usable" in why_not
    assert choice.chosen.sizing.model_fit.fits_memory


def test_power_cap_sets_active_power(catalog_tables):
    workload = _llm(accelerator_override="h100-pcie", power_cap_w=250.0)
    choice = choose_hardware(workload, catalog_tables)
    assert choice.chosen.power_cap_w == 250.0
    assert choice.chosen.servers.power.accelerator.active_w == 250.0
    assert any("capped at 250 W" in warning for warning in choice.warnings)


def test_power_cap_below_minimum_is_raised(catalog_tables):
    # The catalog's H100 PCIe accepts limits down to 200 W.
    workload = _llm(accelerator_override="h100-pcie", power_cap_w=120.0)
    choice = choose_hardware(workload, catalog_tables)
    assert choice.chosen.power_cap_w == 200.0
    assert any("below the 200 W minimum" in warning for warning in choice.warnings)


def test_power_cap_lowers_average_power(catalog_tables):
    full = choose_hardware(_llm(accelerator_override="h100-pcie"), catalog_tables)
    capped = choose_hardware(_llm(accelerator_override="h100-pcie", power_cap_w=250.0),
                             catalog_tables)
    assert capped.chosen.peak_wall_w < full.chosen.peak_wall_w
    # Decode is memory-bound, so the capped card keeps its time per token.
    assert capped.chosen.sizing.time_per_token_ms == pytest.approx(
        full.chosen.sizing.time_per_token_ms)


def test_invalid_power_cap_rejected(catalog_tables):
    with pytest.raises(ValueError, match="power cap -5"):
        choose_hardware(_llm(power_cap_w=-5.0), catalog_tables)
