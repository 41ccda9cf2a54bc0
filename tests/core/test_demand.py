"""LLM, vision and batch demand against hand calculations and published measurements."""

import pytest

from core import demand
from core.demand import AcceleratorData, LLMArchitectureData

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
# H100 SXM5: 3,350 GB/s, 989 TFLOPS dense FP16, NVLink 900 GB/s.
H100_SXM = AcceleratorData("h100-sxm5", "H100 SXM5", "sxm", 80, 3350, 989, 1979, 1979,
                           "switch", 900, False, 0.0)
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
    assert per_token_s * 1000 == pytest.approx(18.58, rel=0.15)


def test_decode_time_matches_nim_measurement_8b():
    # NVIDIA NIM 1.8.0: Llama-3.1-8B FP8 on one H100, one user: 4.63 ms.
    _, _, _, per_token_s, _ = demand.size_llm_replica(
        LLAMA_3_8B, H100_SXM, "fp8", context_tokens=1200, users=1, prompt_tokens=1000,
        tensor_parallel=1)
    assert per_token_s * 1000 == pytest.approx(4.63, rel=0.2)


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
    # 8 streams x 15 frames/s x 28.6 GFLOP (YOLOv8s at 640x640) = 3.43 TFLOP/s;
    # at 10 % of the L40S's 733 dense INT8 TOPS one card carries it.
    sizing = demand.size_vision(L40S, 28.6, 15, 8, max_latency_ms=100)
    assert sizing.required_tops == pytest.approx(3.432)
    assert sizing.accelerator_count == 1
    assert sizing.utilization == pytest.approx(3.432 / 73.3, rel=1e-3)


def test_batch_window_across_midnight():
    assert demand.batch_window_hours(20, 6) == 10
    assert demand.batch_window_hours(1, 5) == 4


def test_batch_scales_by_dense_compute():
    # 4 h on an H100 PCIe (756 TFLOPS) take 4 x 756 / 362.05 = 8.35 h on one L40S.
    sizing = demand.size_batch(L40S, H100_PCIE, 4.0, 20, 6)
    assert sizing.accelerator_hours == pytest.approx(8.35, abs=0.01)
    assert sizing.accelerator_count == 1
    assert sizing.feasible
