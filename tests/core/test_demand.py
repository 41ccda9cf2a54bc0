"""LLM, vision and batch demand against hand calculations and published measurements."""

import pytest

from core import demand
from core.demand import AcceleratorData, LLMArchitectureData

# Relative tolerance against published single-stream decode figures on discrete
# GPUs. One memory-bandwidth efficiency (0.6) covers three harnesses whose own
# efficiencies span 0.52-0.77, so the model lands within 25 % of each.
DISCRETE_DECODE_TOLERANCE = 0.25
# Jetson: one measured point, calibrated on directly.
UNIFIED_DECODE_TOLERANCE = 0.05
# TensorRT-LLM maximum-load throughput: the model has one compute and one
# memory efficiency for every input/output shape, so 20 % is allowed.
BATCHED_THROUGHPUT_TOLERANCE = 0.20

# Architecture numbers from each model's config.json (Hugging Face), parameter
# counts computed from them with untied embeddings.
LLAMA_3_8B = LLMArchitectureData("Llama-3-8B", 8.030, 8.030, 32, 4096, 32, 8, 128, 14336, 128256)
LLAMA_3_70B = LLMArchitectureData("Llama-3-70B", 70.554, 70.554, 80, 8192, 64, 8, 128, 28672,
                                  128256)
MIXTRAL_8X7B = LLMArchitectureData("Mixtral-8x7B", 46.703, 12.88, 32, 4096, 32, 8, 128, 14336,
                                   32000)

# NVIDIA H100 PCIe product brief PB-11133-001: 80 GB, 2,000 GB/s, 756 TFLOPS
# dense FP16, 2-way NVLink bridge at 600 GB/s.
H100_PCIE = AcceleratorData("h100-pcie", "H100 PCIe", "pcie", 80, 2000, 756, 1513, 1513,
                            "bridge", 600, False, 0.0)
# H100 SXM5: 3,350 GB/s, 989 TFLOPS dense FP16, NVLink 900 GB/s, 700 W.
H100_SXM = AcceleratorData("h100-sxm5", "H100 SXM5", "sxm", 80, 3350, 989, 1979, 1979,
                           "switch", 900, False, 0.0, nvdec_count=7, tdp_w=700)
# Llama-3.2-3B config.json: 28 layers, hidden 3072, 24 heads, 8 KV heads,
# FFN 8192, vocab 128256, tied embeddings; 3,212,749,824 parameters.
LLAMA_3_2_3B = LLMArchitectureData("Llama-3.2-3B", 3.2127, 3.2127, 28, 3072, 24, 8, 128, 8192,
                                   128256, tied_embeddings=True)
# A100 40GB: 1,555 GB/s, which the vLLM article's roofline of 97 tokens/s for
# 16.06 GB of BF16 weights implies; 312 TFLOPS dense FP16.
A100_40GB = AcceleratorData("a100-40gb", "A100 40GB", "pcie", 40, 1555, 312, None, 624,
                            "bridge", 600, False, 0.0, nvdec_count=5, tdp_w=250)
# Jetson AGX Orin 64GB: 204.8 GB/s LPDDR5 shared with the CPU, 3 GB kept for
# the OS, GPU 42.5 dense FP16 TFLOPS (170 sparse INT8 TOPS / 4).
AGX_ORIN = AcceleratorData("jetson-agx-orin-64gb", "AGX Orin 64GB", "embedded", 64, 204.8, 42.5,
                           None, 85, "none", None, True, 3.0, nvdec_count=1, tdp_w=60)
# H100 PCIe product brief: 350 W TDP.
H100_PCIE_350W = AcceleratorData("h100-pcie", "H100 PCIe", "pcie", 80, 2000, 756, 1513, 1513,
                                 "bridge", 600, False, 0.0, nvdec_count=7, tdp_w=350)

# L40S datasheet: 48 GB, 864 GB/s, 362 TFLOPS dense FP16, no NVLink.
L40S = AcceleratorData("l40s", "L40S", "pcie", 48, 864, 362.05, 733, 733, "none", None, False,
                       0.0)


def test_llama_70b_fp16_weights_are_about_140_gb():
    # 70.554e9 parameters x 2 bytes = 141.1 GB.
    assert demand.weights_gb(LLAMA_3_70B, "fp16") == pytest.approx(141.1, abs=0.1)


def test_kv_cache_per_token_uses_kv_heads():
    # 2 x 32 layers x 8 KV heads x 128 x 2 bytes = 131,072 bytes (128 KiB).
    assert demand.kv_bytes_per_token(LLAMA_3_8B) == 131_072
    # 2 x 80 x 8 x 128 x 2 = 327,680 bytes (320 KiB).
    assert demand.kv_bytes_per_token(LLAMA_3_70B) == 327_680
    # The multi-head formula 2 x L x d x 2 would give 4x more for Llama-3-8B.
    assert demand.kv_bytes_per_token(LLAMA_3_8B) * 4 == 2 * 32 * 4096 * 2


def test_gguf_q4_k_m_size_matches_published_file():
    # Llama-3.1-70B Q4_K_M is 42.52 GB (runpod/docs pull request 839).
    assert demand.weights_gb(LLAMA_3_70B, "gguf-q4_k_m") == pytest.approx(42.52, rel=0.02)


def test_gptq_keeps_embeddings_at_16_bit():
    # 2 x 128256 x 4096 embedding parameters at 2 bytes = 2.10 GB, the other
    # 6.98e9 at 4.156 bits = 3.63 GB.
    assert demand.weights_gb(LLAMA_3_8B, "int4-gptq") == pytest.approx(5.73, abs=0.02)


def test_tensor_parallel_must_divide_heads():
    assert demand.valid_tensor_parallel_degrees(LLAMA_3_70B) == [1, 2, 4, 8]
    odd_heads = LLMArchitectureData("x", 1, 1, 2, 960, 15, 5, 64, 2560, 32000)
    assert demand.valid_tensor_parallel_degrees(odd_heads) == [1]


def test_llama_70b_fp16_lands_on_two_80gb_gpus():
    # 141 GB of weights exceed one 80 GB card and fit two with tensor parallel 2.
    sizing = demand.size_llm(LLAMA_3_70B, H100_PCIE, "fp16", context_tokens=4096,
                             concurrent_users=4, prompt_tokens=1000,
                             max_time_per_token_ms=100, max_time_to_first_token_ms=3000,
                             min_tokens_per_s_per_user=5)
    assert sizing.feasible
    assert sizing.tensor_parallel == 2
    assert sizing.replicas == 1
    assert sizing.accelerator_count == 2


def test_decode_time_matches_nim_measurement_70b():
    # NVIDIA NIM benchmark: Llama-3.3-70B FP8 on 2x H100 with TP2, 5000 input /
    # 500 output tokens, one user: 18.58 ms inter-token latency.
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        LLAMA_3_70B, H100_SXM, "fp8", context_tokens=5500, users=1, prompt_tokens=5000,
        tensor_parallel=2)
    assert per_token_s * 1000 == pytest.approx(18.58, rel=DISCRETE_DECODE_TOLERANCE)


def test_decode_time_matches_nim_measurement_8b():
    # NVIDIA NIM 1.8.0: Llama-3.1-8B FP8 on one H100, one user: 4.63 ms.
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        LLAMA_3_8B, H100_SXM, "fp8", context_tokens=1200, users=1, prompt_tokens=1000,
        tensor_parallel=1)
    assert per_token_s * 1000 == pytest.approx(4.63, rel=DISCRETE_DECODE_TOLERANCE)


def test_l40s_to_h100_throughput_ratio_follows_bandwidth():
    # MLPerf Inference v5.1 (Red Hat, vLLM, Llama-3.1-8B FP8): L40S 1,642 and
    # H100 5,777 tokens/s offline, a ratio of 0.28, close to the bandwidth ratio.
    def tokens_per_s(accel):
        _, _, _, per_token_s, _ = demand.size_llm_replica(
            LLAMA_3_8B, accel, "fp8", context_tokens=2048, users=64, prompt_tokens=1024,
            tensor_parallel=1)
        return 64 / per_token_s

    ratio = tokens_per_s(L40S) / tokens_per_s(H100_SXM)
    assert ratio == pytest.approx(1642 / 5777, abs=0.06)


def test_mixture_of_experts_reads_active_parameters():
    # Memory counts all 46.7e9 parameters, decode reads about 12.9e9 of them.
    weights = demand.weights_gb(MIXTRAL_8X7B, "fp16")
    assert weights == pytest.approx(93.4, abs=0.1)
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        MIXTRAL_8X7B, H100_SXM, "fp16", context_tokens=1024, users=1, prompt_tokens=512,
        tensor_parallel=2)
    dense_equivalent_s = weights * 1e9 / 2 / (3350e9 * demand.DEFAULT_MEMORY_EFFICIENCY)
    assert per_token_s < 0.4 * dense_equivalent_s


def test_vision_counts_devices_from_dense_compute():
    # 8 streams x 15 frames/s x 28.6 GFLOP (YOLOv8s at 640x640) = 3.432 TFLOP/s;
    # at 30 % of the L40S's 733 dense INT8 TOPS (219.9 effective) one card carries it.
    sizing = demand.size_vision(L40S, 28.6, 15, 8, max_latency_ms=100)
    assert sizing.required_tops == pytest.approx(3.432)
    assert sizing.accelerator_count == 1
    assert sizing.utilization == pytest.approx(3.432 / 219.9, rel=1e-3)
    # Latency: 0.9 ms fixed + 28.6 / 219.9 = 1.030 ms.
    assert sizing.latency_ms == pytest.approx(1.030, abs=0.001)


def test_batch_window_across_midnight():
    assert demand.batch_window_hours(20, 6) == 10
    assert demand.batch_window_hours(1, 5) == 4


def test_batch_scales_by_dense_compute():
    # 4 h on an H100 PCIe (756 TFLOPS) take 4 x 756 / 362.05 = 8.35 h on one L40S.
    sizing = demand.size_batch(L40S, H100_PCIE, 4.0, 20, 6)
    assert sizing.accelerator_hours == pytest.approx(8.35, abs=0.01)
    assert sizing.accelerator_count == 1
    assert sizing.feasible


def test_decode_matches_vllm_a100_measurement():
    # johnmusgrave.com "vLLM throughput-latency sweep": Llama-3.1-8B BF16 on an
    # A100-40GB, 1024 input / 128 output tokens, one user: about 75 tokens/s,
    # "about 77 % of roofline". Model: 16.06 GB / (1555 GB/s x 0.6) = 17.2 ms
    # plus the KV cache, 57.8 tokens/s (23 % low, within the tolerance).
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        LLAMA_3_8B, A100_40GB, "bf16", context_tokens=1152, users=1, prompt_tokens=1024,
        tensor_parallel=1)
    assert 1.0 / per_token_s == pytest.approx(75.0, rel=DISCRETE_DECODE_TOLERANCE)


def test_decode_matches_agx_orin_measurement():
    # embedl Edge-Inference-Benchmarks (Hugging Face space, Llama-3.2.csv):
    # Llama-3.2-3B BF16 on Jetson AGX Orin, 25.64 tokens/s at batch 1.
    # Model: 6.43 GB / (204.8 GB/s x 0.8) = 39.2 ms, 25.5 tokens/s.
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        LLAMA_3_2_3B, AGX_ORIN, "bf16", context_tokens=1152, users=1, prompt_tokens=1024,
        tensor_parallel=1)
    assert 1.0 / per_token_s == pytest.approx(25.64, rel=UNIFIED_DECODE_TOLERANCE)


def test_memory_efficiency_differs_by_device_class():
    # The calibration data: discrete GPUs reach 0.52-0.77 of the bandwidth
    # roofline in single-stream decode, Jetson unified memory 0.80-0.83.
    assert demand.memory_efficiency_for(H100_SXM) == 0.6
    assert demand.memory_efficiency_for(AGX_ORIN) == 0.8


def test_llama_3_2_3b_weights_with_tied_embeddings():
    # BF16: 3.2127e9 x 2 bytes = 6.43 GB.
    assert demand.weights_gb(LLAMA_3_2_3B, "bf16") == pytest.approx(6.425, abs=0.01)
    # INT4-AWQ: one 128256 x 3072 embedding (0.394e9) at 16 bits = 0.788 GB, the
    # other 2.819e9 at 4.156 bits = 1.464 GB; 2.252 GB in all. Counting the
    # tied matrix twice would add 0.394e9 x (16 - 4.156) / 8 = 0.58 GB.
    assert demand.weights_gb(LLAMA_3_2_3B, "int4-awq") == pytest.approx(2.252, abs=0.01)


@pytest.mark.parametrize(
    ("input_tokens", "output_tokens", "measured"),
    [(128, 128, 28_312), (2048, 128, 3_450), (2048, 2048, 9_305)],
)
def test_batched_throughput_matches_tensorrt_llm(input_tokens, output_tokens, measured):
    # NVIDIA TensorRT-LLM perf overview (docs/source/performance/perf-overview.md):
    # Llama-3.1-8B FP8, one H100, total output tokens/s at maximum load.
    # NOTE: the KV cache is taken in FP8 (1 byte per element), which those
    # runs are assumed to use; the stored table does not state it.
    tokens_per_s = demand.offline_output_tokens_per_s(
        LLAMA_3_8B, H100_SXM, "fp8", input_tokens, output_tokens, kv_bytes_per_element=1.0)
    assert tokens_per_s == pytest.approx(measured, rel=BATCHED_THROUGHPUT_TOLERANCE)


@pytest.mark.parametrize(("input_tokens", "output_tokens"), [(1024, 128), (2048, 2048)])
def test_offline_l40s_to_h100_ratio_matches_mlperf(input_tokens, output_tokens):
    # MLPerf Inference v5.1 (Red Hat, vLLM, Llama-3.1-8B FP8), Offline scenario:
    # L40S 1,642 and H100 5,777 tokens/s, a ratio of 0.284. The stored source
    # gives no sequence lengths, so a prefill-heavy and a decode-heavy shape
    # are both checked; the model gives 0.33 and 0.24.
    def tokens_per_s(accel):
        return demand.offline_output_tokens_per_s(
            LLAMA_3_8B, accel, "fp8", input_tokens, output_tokens, kv_bytes_per_element=1.0)

    ratio = tokens_per_s(L40S) / tokens_per_s(H100_SXM)
    assert ratio == pytest.approx(1642 / 5777, abs=0.06)


def test_offline_throughput_zero_when_weights_fill_memory():
    # Llama-3-70B FP16 is 141 GB, more than one 48 GB L40S.
    assert demand.offline_output_tokens_per_s(LLAMA_3_70B, L40S, "fp16", 128, 128) == 0.0


def test_power_cap_scales_compute_not_decode():
    # 250 W of 350 W: compute x 0.714. Decode draws at most 300/700 = 0.43 of
    # TDP (H200 measurement, arXiv 2605.11999), so a 0.714 cap leaves it alone.
    compute_scale, decode_scale = demand.power_cap_scales(H100_PCIE_350W, 250)
    assert compute_scale == pytest.approx(250 / 350)
    assert decode_scale == 1.0
    # 100 W: compute x 0.286, decode x 0.286 / 0.4286 = 0.667.
    compute_scale, decode_scale = demand.power_cap_scales(H100_PCIE_350W, 100)
    assert compute_scale == pytest.approx(100 / 350)
    assert decode_scale == pytest.approx((100 / 350) / (300 / 700))


def test_power_cap_at_or_above_tdp_is_ignored():
    assert demand.power_cap_scales(H100_PCIE_350W, None) == (1.0, 1.0)
    assert demand.power_cap_scales(H100_PCIE_350W, 350) == (1.0, 1.0)
    assert demand.power_cap_scales(H100_PCIE_350W, 400) == (1.0, 1.0)


def test_power_cap_slows_prefill_only():
    args = (LLAMA_3_8B, H100_PCIE_350W, "fp16", 2048, 1, 2000, 1)
    _, _, _, step_full_s, ttft_full_s = demand.size_llm_replica(*args)
    _, _, _, step_capped_s, ttft_capped_s = demand.size_llm_replica(*args, power_cap_w=250)
    assert step_capped_s == pytest.approx(step_full_s)
    # Prefill: 2 x 8.03e9 x 2000 / (756e12 x 0.5) = 42.5 ms at TDP, / 0.714 =
    # 59.5 ms capped; the one decode step (4.5 ms) stays.
    prefill_full_s = 2 * 8.03e9 * 2000 / (756e12 * 0.5)
    assert ttft_capped_s - ttft_full_s == pytest.approx(prefill_full_s * (350 / 250 - 1),
                                                        rel=1e-6)


def test_power_cap_stretches_batch_hours():
    # 4 h on the reference at full power take 4 / (250 / 350) = 5.6 h capped.
    sizing = demand.size_batch(H100_PCIE_350W, H100_PCIE_350W, 4.0, 20, 6, power_cap_w=250)
    assert sizing.accelerator_hours == pytest.approx(5.6)


def test_batch_model_fit_picks_tensor_parallel():
    # Llama-3-70B FP16 with 32 sequences of 4096 tokens on 80 GB cards
    # (77.3 GB usable = 80 x 1.0737 x 0.9):
    # KV 327,680 B x 4096 x 32 = 42.9 GB; activation 2048 x (4 x 8192 + 2 x
    # 28672) x 2 B = 0.369 GB.
    # TP2: 70.55 + 21.5 + 1.5 + 0.18 = 93.7 GB, too much.
    # TP4: 35.28 + 10.7 + 1.5 + 0.09 = 47.6 GB, fits.
    fit = demand.fit_batch_model(LLAMA_3_70B, H100_PCIE, "fp16", 4096, 32)
    assert fit.fits_memory
    assert fit.tensor_parallel == 4
    assert fit.memory_per_gpu_gb == pytest.approx(47.6, abs=0.1)
    sizing = demand.size_batch(H100_PCIE, H100_PCIE, 4.0, 20, 6, model_fit=fit)
    assert sizing.accelerator_count == 4
    assert sizing.run_hours == pytest.approx(1.0)
    assert sizing.feasible


def test_batch_model_too_large_is_infeasible():
    # 141 GB of weights over 4 x 48 GB L40S (46.4 GB usable each): 35.3 GB of
    # weights plus 10.7 GB of KV plus 1.6 GB overhead = 47.6 GB, too much.
    fit = demand.fit_batch_model(LLAMA_3_70B, L40S, "fp16", 4096, 32)
    assert not fit.fits_memory
    assert fit.tensor_parallel == 4
    sizing = demand.size_batch(L40S, H100_PCIE, 4.0, 20, 6, model_fit=fit)
    assert not sizing.feasible
    assert sizing.fits_window


def test_batch_energy_hours_in_window():
    # 30 h on the H100 PCIe reference take 30 x 756 / 362.05 = 62.6 h on L40S;
    # a 10 h window needs 7 cards (62.6 / 7 = 8.95 h).
    sizing = demand.size_batch(L40S, H100_PCIE, 30.0, 20, 6)
    assert sizing.accelerator_hours == pytest.approx(62.64, abs=0.01)
    assert sizing.accelerator_count == 7
    assert sizing.run_hours == pytest.approx(62.64 / 7, abs=0.01)
    assert sizing.feasible


def test_size_llm_reports_memory_shortfall():
    # Llama-3-70B FP16 (141 GB) cannot fit one card even at the 16-card limit
    # when only tensor parallel 1 is allowed (embedded parts). Usable:
    # (64 x 1.0737 - 3 GB for the OS) x 0.9 = 59.1 GB.
    sizing = demand.size_llm(LLAMA_3_70B, AGX_ORIN, "fp16", 4096, 1, 1000, 100, 3000, 5)
    assert not sizing.fits_memory
    assert sizing.notes[0].startswith("memory: needs 144.")
    assert "has 59.1 GB usable" in sizing.notes[0]


def test_size_llm_reports_latency_shortfall():
    # Llama-3-8B FP16 on the AGX Orin: 16.06 GB / (204.8 GB/s x 0.8) = 98 ms
    # per token, against a 50 ms target.
    sizing = demand.size_llm(LLAMA_3_8B, AGX_ORIN, "fp16", 2048, 1, 500, 50, 3000, 5)
    assert sizing.fits_memory
    assert not sizing.meets_latency
    assert "time per token 9" in sizing.notes[0]
    assert "vs target 50 ms" in sizing.notes[0]
