"""Inference demand: memory, time per token and compute for one workload on one accelerator.

Plain functions on numbers. Memory is in GB (1e9 bytes). Accelerator memory
in the catalog is the marketed figure, which NVIDIA states in GiB (an "80 GB"
H100 reports 81,559 MiB in nvidia-smi), so it is converted with ``GIB_TO_GB``
before use.

Formulas (standard transformer arithmetic, as used by vLLM, NVIDIA NIM and
llm-analysis):

* weights = parameters x bits per weight / 8;
* KV cache per token = 2 x layers x KV heads x head size x bytes per element,
  which counts grouped-query attention through the KV heads;
* decode time per token is bound by memory bandwidth: the bytes read per step
  (weights and the KV cache in use) over bandwidth x efficiency;
* time to first token is bound by dense compute: 2 x active parameters x prompt
  tokens over dense FLOP/s x efficiency;
* a mixture-of-experts model needs memory for all its parameters but reads and
  computes only the active ones per token.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

GIB_TO_GB = 1.073741824

# Effective bits per weight of common formats. GPTQ/AWQ with group size 128
# store a 16-bit scale and a 4-bit zero point per group: (128 x 4 + 16 + 4) / 128
# = 4.156 bits. GGUF Q4_K_M averages 4.8 bits: Llama-3.1-70B is 42.52 GB, not
# 35 GB. Embeddings and the output head stay at 16 bits in the 4-bit formats.
BITS_PER_WEIGHT = {
    "fp16": 16.0,
    "bf16": 16.0,
    "fp8": 8.0,
    "int8": 8.0,
    "int4-awq": 4.156,
    "int4-gptq": 4.156,
    "gguf-q4_k_m": 4.8,
}
QUANTIZED_WITH_FP16_EMBEDDINGS = ("int4-awq", "int4-gptq")

KV_BYTES_PER_ELEMENT = 2.0  # engines keep the KV cache in FP16/BF16 unless configured otherwise

# Memory-bandwidth efficiency: measured single-stream decode time against the
# roofline (bytes of weights / bandwidth). The data separates two device classes:
#
# * discrete GPUs: 0.52 (NVIDIA NIM 1.8.0, Llama-3.1-8B FP8, H100), 0.57 (NIM,
#   Llama-3.3-70B FP8, 2x H100 TP2) and 0.77 (vLLM, Llama-3.1-8B BF16,
#   A100-40GB, johnmusgrave.com "vLLM throughput-latency sweep"); 0.6 sits
#   between them, so the estimate is within about 25 % of all three;
# * Jetson unified LPDDR5: 0.80 (Llama-3.2-3B BF16 on AGX Orin, 25.64 tokens/s,
#   embedl Edge-Inference-Benchmarks on Hugging Face) and 0.83 (Llama-3.1-8B
#   INT4 MLC on Orin Nano Super, NVIDIA blog figures).
MEMORY_EFFICIENCY_DISCRETE = 0.6
MEMORY_EFFICIENCY_UNIFIED = 0.8
DEFAULT_MEMORY_EFFICIENCY = MEMORY_EFFICIENCY_DISCRETE
# Compute efficiency of prefill and of compute-bound batched decode. TensorRT-LLM
# reports 3,450 output tokens/s for Llama-3.1-8B FP8 on one H100 at 2048 input /
# 128 output tokens, i.e. 55,200 prefill tokens/s x 2 x 8.03e9 FLOP = 0.45 of the
# 1,979 TFLOP/s dense FP8 peak; 0.5 is used.
# NOTE: no measured prefill figure for Jetson was found, so both classes use 0.5.
DEFAULT_COMPUTE_EFFICIENCY = 0.5
# Fraction of accelerator memory an engine may use (vLLM gpu_memory_utilization 0.9).
DEFAULT_MEMORY_UTILIZATION = 0.9
# CUDA context, framework buffers and CUDA graphs per GPU, an estimate
# (gpu_poor counts 0.5 GB for the context alone).
RUNTIME_OVERHEAD_GB = 1.5
PREFILL_CHUNK_TOKENS = 2048
# Latency floor of one all-reduce between GPUs (llm-analysis uses 8 us).
ALLREDUCE_FLOOR_S = 8e-6
PCIE_GEN4_X16_GBPS = 25.0  # effective one-way GB/s between two PCIe Gen4 x16 cards, an estimate
# Sequences an engine batches at most in offline (throughput) runs: the default
# max_batch_size of TensorRT-LLM's trtllm-build, 2048.
MAX_BATCHED_SEQUENCES = 2048


@dataclass(frozen=True)
class VisionCalibration:
    """Per-frame time model of a vision network at batch 1: fixed_ms + GFLOP / (peak x efficiency).

    ``efficiency`` is the fraction of the dense peak (at the workload's
    precision) that each extra GFLOP runs at. ``fixed_ms`` is the per-frame
    time that does not scale with the network: kernel launches, pre- and
    post-processing.
    """

    efficiency: float
    fixed_ms: float


# Fitted to the Ultralytics YOLOv8 detect table, A100 TensorRT batch 1 (n, s, m,
# l, x: 0.99, 1.20, 1.83, 2.39, 3.53 ms for 8.7-257.8 GFLOP). The slope is 98
# TFLOP/s, 0.31 of the A100's 312 dense FP16 TFLOPS, and the intercept 0.90 ms.
# Those are GPU-only times, taken to be FP16 because the table does not state it.
VISION_DISCRETE = VisionCalibration(efficiency=0.30, fixed_ms=0.9)
# Fitted to Roboflow Inference on Jetson Orin NX 16GB, TensorRT, end to end
# (YOLOv8n, s, m, l at 640: 89, 69.5, 44.5, 32.5 frames/s, docs.roboflow.com
# inference benchmarks). The slope is 8.0 TFLOP/s, 0.67 of the module's
# estimated 12 dense FP16 TFLOPS. The 10.1 ms intercept includes the Python pipeline.
# NOTE: the two fits come from different harnesses (GPU-only against end to
# end), so part of the gap in fixed_ms is the harness, not the device class.
VISION_UNIFIED = VisionCalibration(efficiency=0.60, fixed_ms=10.0)
DEFAULT_VISION_EFFICIENCY = VISION_DISCRETE.efficiency

# Hardware video decode (NVDEC) per engine, in 1920x1080 streams at 30 frames/s.
# NOTE: an estimate (600 frames/s per engine), not taken from the NVDEC
# Application Note performance table (Video Codec SDK); check it there for the
# GPU and codec before relying on decode as the binding limit.
DECODE_1080P30_STREAMS_PER_NVDEC = {"h264": 20.0, "h265": 20.0}
VIDEO_CODECS = ("h264", "h265", "none")
PIXELS_1080P = 1920 * 1080

# GPU power cap (nvidia-smi -pl). Decode is memory-bound and draws well below
# TDP: Ma, Afzal, Eitzinger and Wellein, "The Illusion of Power Capping in LLM
# Decode" (arXiv 2605.11999, 2026) measured 137-300 W on a 700 W H200, so a cap
# above 300/700 = 0.43 of TDP never triggers during decode. Below that, decode
# time is taken to grow in proportion. Compute-bound work (prefill, vision,
# batch) is taken to scale with the cap: throughput x cap / TDP.
# NOTE: the linear compute scaling is an estimate; dynamic power falls faster
# than clock, so real loss is usually smaller and this errs on the safe side.
DECODE_POWER_FRACTION_OF_TDP = 300.0 / 700.0


@dataclass(frozen=True)
class LLMArchitectureData:
    """The architecture numbers the sizing needs, copied from a catalog row."""

    name: str
    params_total_b: float
    params_active_b: float
    layers: int
    hidden_size: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    ffn_size: int
    vocab_size: int
    tied_embeddings: bool = False


@dataclass(frozen=True)
class AcceleratorData:
    """The accelerator numbers the sizing needs, copied from a catalog row."""

    key: str
    name: str
    form_factor: str
    memory_gb: float
    memory_bandwidth_gbps: float
    fp16_dense_tflops: float
    fp8_dense_tflops: float | None
    int8_dense_tops: float | None
    nvlink: str
    nvlink_gbps: float | None
    unified_memory: bool
    os_reserved_gb: float
    nvdec_count: int | None = None
    tdp_w: float | None = None

    @property
    def usable_memory_gb(self) -> float:
        """Memory an inference engine may fill [GB]."""
        total_gb = self.memory_gb * GIB_TO_GB - self.os_reserved_gb
        return max(total_gb, 0.0) * DEFAULT_MEMORY_UTILIZATION


def weights_gb(arch: LLMArchitectureData, precision: str) -> float:
    """Return the weight memory of the whole model [GB] at ``precision``."""
    bits = BITS_PER_WEIGHT[precision]
    params = arch.params_total_b * 1e9
    if precision in QUANTIZED_WITH_FP16_EMBEDDINGS:
        # Input embedding and output head stay at 16 bits; tied, they are one matrix.
        embedding_matrices = 1.0 if arch.tied_embeddings else 2.0
        embedding_params = embedding_matrices * arch.vocab_size * arch.hidden_size
        return (embedding_params * 16 + (params - embedding_params) * bits) / 8 / 1e9
    return params * bits / 8 / 1e9


def kv_bytes_per_token(arch: LLMArchitectureData) -> float:
    """Return the KV cache of one token across all layers [bytes]."""
    return 2.0 * arch.layers * arch.kv_heads * arch.head_dim * KV_BYTES_PER_ELEMENT


def valid_tensor_parallel_degrees(arch: LLMArchitectureData, max_degree: int = 8) -> list[int]:
    """Return the tensor parallel degrees (1, 2, 4, 8) that divide the attention heads."""
    return [tp for tp in (1, 2, 4, 8) if tp <= max_degree and arch.attention_heads % tp == 0]


def memory_efficiency_for(accel: AcceleratorData) -> float:
    """Return the calibrated memory-bandwidth efficiency of the accelerator's device class."""
    return MEMORY_EFFICIENCY_UNIFIED if accel.unified_memory else MEMORY_EFFICIENCY_DISCRETE


def vision_calibration_for(accel: AcceleratorData) -> VisionCalibration:
    """Return the calibrated per-frame time model of the accelerator's device class."""
    return VISION_UNIFIED if accel.unified_memory else VISION_DISCRETE


def power_cap_scales(accel: AcceleratorData, power_cap_w: float | None) -> tuple[float, float]:
    """Return (compute throughput scale, decode throughput scale), each 0-1, under a power cap.

    No cap, an unknown TDP or a cap at or above TDP returns (1, 1).
    """
    if power_cap_w is None or not accel.tdp_w or power_cap_w >= accel.tdp_w:
        return 1.0, 1.0
    if power_cap_w <= 0:
        raise ValueError(f"power cap {power_cap_w!r} W is invalid; give a positive wattage")
    cap_fraction = power_cap_w / accel.tdp_w
    decode_scale = min(1.0, cap_fraction / DECODE_POWER_FRACTION_OF_TDP)
    return cap_fraction, decode_scale


def dense_compute_tflops(accel: AcceleratorData, precision: str) -> float:
    """Return the dense tensor throughput [TFLOP/s] for the precision's matrix maths.

    4-bit weight-only formats dequantize to FP16 for the matrix products.
    """
    if precision == "fp8" and accel.fp8_dense_tflops:
        return accel.fp8_dense_tflops
    if precision == "int8" and accel.int8_dense_tops:
        return accel.int8_dense_tops
    return accel.fp16_dense_tflops


@dataclass
class LLMSizing:
    """Memory and latency of one LLM workload on one accelerator type."""

    accelerator_key: str
    tensor_parallel: int
    replicas: int
    users_per_replica: int
    weights_gb: float
    kv_cache_gb_per_replica: float
    overhead_gb_per_gpu: float
    memory_per_gpu_gb: float
    usable_memory_per_gpu_gb: float
    time_per_token_ms: float
    time_to_first_token_ms: float
    tokens_per_s_per_user: float
    tokens_per_s_total: float
    fits_memory: bool
    meets_latency: bool
    notes: list[str] = field(default_factory=list)

    @property
    def accelerator_count(self) -> int:
        return self.tensor_parallel * self.replicas

    @property
    def feasible(self) -> bool:
        return self.fits_memory and self.meets_latency


def size_llm_replica(
    arch: LLMArchitectureData,
    accel: AcceleratorData,
    precision: str,
    context_tokens: int,
    users: int,
    prompt_tokens: int,
    tensor_parallel: int,
    memory_efficiency: float | None = None,
    compute_efficiency: float = DEFAULT_COMPUTE_EFFICIENCY,
    power_cap_w: float | None = None,
) -> tuple[float, float, float, float, float]:
    """Size one replica serving ``users`` sequences with tensor parallel ``tensor_parallel``.

    ``memory_efficiency`` defaults to the calibrated value of the accelerator's
    device class (:func:`memory_efficiency_for`). ``power_cap_w`` slows compute
    and, below the decode draw, decode (:func:`power_cap_scales`).

    Returns
    -------
    memory_per_gpu_gb, kv_total_gb, overhead_gb, time_per_token_s, time_to_first_token_s
    """
    tp = tensor_parallel
    if memory_efficiency is None:
        memory_efficiency = memory_efficiency_for(accel)
    compute_scale, decode_scale = power_cap_scales(accel, power_cap_w)
    weights_total_gb = weights_gb(arch, precision)
    kv_token_bytes = kv_bytes_per_token(arch)

    kv_total_gb = kv_token_bytes * context_tokens * users / 1e9
    kv_per_gpu_gb = kv_total_gb * _kv_share_per_gpu(arch, tp)
    overhead_gb = _overhead_per_gpu_gb(arch, tp)
    memory_per_gpu_gb = weights_total_gb / tp + kv_per_gpu_gb + overhead_gb

    # Decode: each step reads the active weights and the KV cache in use (on
    # average half the context is filled).
    bytes_per_step = _active_weight_bytes(arch, precision) + kv_token_bytes * users * (
        context_tokens / 2
    )
    dense_flops = dense_compute_tflops(accel, precision) * 1e12 * compute_efficiency
    dense_flops *= compute_scale
    step_s = _decode_step_s(arch, accel, bytes_per_step, users, tp, memory_efficiency,
                            dense_flops, decode_scale)
    memory_time_s = bytes_per_step / tp / (
        accel.memory_bandwidth_gbps * 1e9 * memory_efficiency * decode_scale)

    prefill_flops = 2.0 * arch.params_active_b * 1e9 * prompt_tokens
    time_to_first_token_s = prefill_flops / (tp * dense_flops) + memory_time_s
    return memory_per_gpu_gb, kv_total_gb, overhead_gb, step_s, time_to_first_token_s


def _kv_share_per_gpu(arch: LLMArchitectureData, tp: int) -> float:
    """Return the share of the KV cache one GPU contains; heads past the KV count are copies."""
    return max(arch.kv_heads / tp, 1.0) / arch.kv_heads


def _overhead_per_gpu_gb(arch: LLMArchitectureData, tp: int) -> float:
    """Return the runtime overhead plus the peak activation of one prefill chunk, per GPU [GB]."""
    activation_gb = PREFILL_CHUNK_TOKENS * (4 * arch.hidden_size + 2 * arch.ffn_size) * 2 / 1e9
    return RUNTIME_OVERHEAD_GB + activation_gb / tp


def _active_weight_bytes(arch: LLMArchitectureData, precision: str) -> float:
    """Return the weight bytes one decode step reads (for an MoE, the active experts only)."""
    active_fraction = arch.params_active_b / arch.params_total_b
    return weights_gb(arch, precision) * 1e9 * active_fraction


def _decode_step_s(arch: LLMArchitectureData, accel: AcceleratorData, bytes_per_step: float,
                   sequences: int, tp: int, memory_efficiency: float, dense_flops: float,
                   decode_scale: float) -> float:
    """Return the time of one decode step [s]: the slower of memory and compute, plus all-reduce."""
    bandwidth_bytes_per_s = accel.memory_bandwidth_gbps * 1e9 * memory_efficiency * decode_scale
    memory_time_s = bytes_per_step / tp / bandwidth_bytes_per_s
    compute_time_s = 2.0 * arch.params_active_b * 1e9 * sequences / (tp * dense_flops)
    allreduce_s = 0.0
    if tp > 1:
        link_gbps = accel.nvlink_gbps if accel.nvlink != "none" and accel.nvlink_gbps else (
            PCIE_GEN4_X16_GBPS
        )
        message_bytes = 2.0 * sequences * arch.hidden_size * 2 * (tp - 1) / tp
        per_allreduce_s = message_bytes / (link_gbps * 1e9) + ALLREDUCE_FLOOR_S
        allreduce_s = 2 * arch.layers * per_allreduce_s
    return max(memory_time_s, compute_time_s) + allreduce_s


def max_tensor_parallel(accel: AcceleratorData) -> int:
    """Return the largest tensor parallel degree the form factor allows inside one server."""
    if accel.form_factor == "embedded":
        return 1
    if accel.nvlink == "switch":
        return 8
    return 4 if accel.form_factor == "pcie" else 1


def offline_output_tokens_per_s(
    arch: LLMArchitectureData,
    accel: AcceleratorData,
    precision: str,
    input_tokens: int,
    output_tokens: int,
    tensor_parallel: int = 1,
    kv_bytes_per_element: float = KV_BYTES_PER_ELEMENT,
    max_sequences: int = MAX_BATCHED_SEQUENCES,
    memory_efficiency: float | None = None,
    compute_efficiency: float = DEFAULT_COMPUTE_EFFICIENCY,
    power_cap_w: float | None = None,
) -> float:
    """Estimate the output tokens/s of one replica at maximum load (an offline benchmark run).

    The engine batches as many sequences as the KV cache leaves room for (at
    most ``max_sequences``). Each wave of sequences is prefilled at dense
    compute and then decoded step by step; the KV cache is on average filled to
    the input plus half the output. Returns 0 when the weights leave no room
    for one sequence.
    """
    tp = tensor_parallel
    if memory_efficiency is None:
        memory_efficiency = memory_efficiency_for(accel)
    compute_scale, decode_scale = power_cap_scales(accel, power_cap_w)
    kv_token_bytes = kv_bytes_per_token(arch) * kv_bytes_per_element / KV_BYTES_PER_ELEMENT

    free_gb = (accel.usable_memory_gb - weights_gb(arch, precision) / tp
               - _overhead_per_gpu_gb(arch, tp))
    kv_per_sequence_gb = (kv_token_bytes * (input_tokens + output_tokens) / 1e9
                          * _kv_share_per_gpu(arch, tp))
    sequences = min(max_sequences, math.floor(max(free_gb, 0.0) / kv_per_sequence_gb))
    if sequences < 1:
        return 0.0

    dense_flops = dense_compute_tflops(accel, precision) * 1e12 * compute_efficiency
    dense_flops *= compute_scale
    prefill_s = 2.0 * arch.params_active_b * 1e9 * input_tokens * sequences / (tp * dense_flops)
    mean_context = input_tokens + output_tokens / 2
    bytes_per_step = (_active_weight_bytes(arch, precision)
                      + kv_token_bytes * sequences * mean_context)
    step_s = _decode_step_s(arch, accel, bytes_per_step, sequences, tp, memory_efficiency,
                            dense_flops, decode_scale)
    return sequences * output_tokens / (prefill_s + output_tokens * step_s)


def _missed_latency_targets(per_token_ms: float, ttft_ms: float, per_user_tps: float,
                            max_per_token_ms: float, max_ttft_ms: float,
                            min_per_user_tps: float) -> list[str]:
    """Return one phrase per latency target missed, measured against its target."""
    missed = []
    if per_token_ms > max_per_token_ms:
        missed.append(f"time per token {per_token_ms:.1f} ms vs target {max_per_token_ms:g} ms")
    if ttft_ms > max_ttft_ms:
        missed.append(f"time to first token {ttft_ms:.0f} ms vs target {max_ttft_ms:g} ms")
    if per_user_tps < min_per_user_tps:
        missed.append(f"{per_user_tps:.1f} tokens/s per user vs target {min_per_user_tps:g}")
    return missed


def size_llm(
    arch: LLMArchitectureData,
    accel: AcceleratorData,
    precision: str,
    context_tokens: int,
    concurrent_users: int,
    prompt_tokens: int,
    max_time_per_token_ms: float,
    max_time_to_first_token_ms: float,
    min_tokens_per_s_per_user: float,
    max_accelerators: int = 16,
    power_cap_w: float | None = None,
) -> LLMSizing:
    """Find the fewest accelerators of one type that serve the LLM workload.

    Tries each valid tensor parallel degree with 1, 2, ... replicas (users split
    evenly) and returns the first layout, by accelerator count, that fits
    memory and meets the latency targets. When none does, returns the layout
    closest to fitting with ``fits_memory`` or ``meets_latency`` false and a
    note that gives the shortfall in numbers.
    """
    usable_gb = accel.usable_memory_gb
    tp_options = valid_tensor_parallel_degrees(arch, max_tensor_parallel(accel))

    layouts = sorted(
        ((tp, replicas) for tp in tp_options for replicas in range(1, max_accelerators + 1)
         if tp * replicas <= max_accelerators),
        key=lambda layout: (layout[0] * layout[1], layout[0]),
    )
    weights_total_gb = weights_gb(arch, precision)
    fallback: LLMSizing | None = None
    for tp, replicas in layouts:
        users = math.ceil(concurrent_users / replicas)
        memory_gb, kv_gb, overhead_gb, per_token_s, ttft_s = size_llm_replica(
            arch, accel, precision, context_tokens, users, prompt_tokens, tp,
            power_cap_w=power_cap_w)
        per_user_tps = 1.0 / per_token_s
        fits = memory_gb <= usable_gb
        meets = not _missed_latency_targets(
            per_token_s * 1000, ttft_s * 1000, per_user_tps, max_time_per_token_ms,
            max_time_to_first_token_ms, min_tokens_per_s_per_user)
        sizing = LLMSizing(
            accelerator_key=accel.key,
            tensor_parallel=tp,
            replicas=replicas,
            users_per_replica=users,
            weights_gb=weights_total_gb,
            kv_cache_gb_per_replica=kv_gb,
            overhead_gb_per_gpu=overhead_gb,
            memory_per_gpu_gb=memory_gb,
            usable_memory_per_gpu_gb=usable_gb,
            time_per_token_ms=per_token_s * 1000,
            time_to_first_token_ms=ttft_s * 1000,
            tokens_per_s_per_user=per_user_tps,
            tokens_per_s_total=per_user_tps * concurrent_users,
            fits_memory=fits,
            meets_latency=meets,
        )
        if fits and meets:
            return sizing
        if fallback is None or (fits and not fallback.fits_memory):
            fallback = sizing
    assert fallback is not None
    if not fallback.fits_memory:
        fallback.notes.append(
            f"memory: needs {fallback.memory_per_gpu_gb:.1f} GB per accelerator at tensor "
            f"parallel {fallback.tensor_parallel} ({fallback.weights_gb:.1f} GB of weights), "
            f"has {usable_gb:.1f} GB usable; tried up to {max_accelerators} accelerators")
    else:
        missed = _missed_latency_targets(
            fallback.time_per_token_ms, fallback.time_to_first_token_ms,
            fallback.tokens_per_s_per_user, max_time_per_token_ms,
            max_time_to_first_token_ms, min_tokens_per_s_per_user)
        fallback.notes.append(
            "latency: " + ", ".join(missed)
            + f" (best layout: tensor parallel {fallback.tensor_parallel} x "
              f"{fallback.replicas} replicas)")
    return fallback


@dataclass(frozen=True)
class VisionModel:
    """GFLOP per frame of a vision network at its input size, with the source of the figure."""

    name: str
    input_size: int
    gflop_per_frame: float
    source: str


# FLOP counts: Ultralytics publishes real FLOPs ("FLOPs (B)", 2 per
# multiply-accumulate), torchvision publishes multiply-accumulates under the
# heading "GFLOPS", so its figure is doubled here.
TORCHVISION_GMAC_TO_GFLOP = 2.0
ULTRALYTICS_YOLOV8_DETECT = "Ultralytics YOLOv8 detect table, COCO, 640x640 (docs.ultralytics.com)"
VISION_MODELS: dict[str, VisionModel] = {
    "yolov8n-640": VisionModel("YOLOv8n (640x640)", 640, 8.7, ULTRALYTICS_YOLOV8_DETECT),
    "yolov8s-640": VisionModel("YOLOv8s (640x640)", 640, 28.6, ULTRALYTICS_YOLOV8_DETECT),
    "yolov8m-640": VisionModel("YOLOv8m (640x640)", 640, 78.9, ULTRALYTICS_YOLOV8_DETECT),
    "yolov8l-640": VisionModel("YOLOv8l (640x640)", 640, 165.2, ULTRALYTICS_YOLOV8_DETECT),
    "yolov8x-640": VisionModel("YOLOv8x (640x640)", 640, 257.8, ULTRALYTICS_YOLOV8_DETECT),
    "resnet50-224": VisionModel(
        "ResNet-50 (224x224)", 224, 4.09 * TORCHVISION_GMAC_TO_GFLOP,
        "torchvision.models.resnet50 page, 4.09 GMAC listed as 'GFLOPS' "
        "(pytorch.org/vision/stable/models/generated/torchvision.models.resnet50.html)"),
}


def vision_gflop_at_size(model: VisionModel, input_size: int) -> float:
    """Return the model's GFLOP per frame at a square ``input_size``; FLOPs scale with pixels."""
    return model.gflop_per_frame * (input_size / model.input_size) ** 2


@dataclass
class ComputeSizing:
    """Compute and video-decode demand of a vision or trading workload on one accelerator type.

    ``binding_limit`` names what sets ``accelerator_count``: "compute" or
    "video decode" (each accelerator's NVDEC engines).
    """

    accelerator_key: str
    required_tops: float
    effective_tops_per_accelerator: float
    accelerator_count: int
    utilization: float
    latency_ms: float
    meets_latency: bool
    compute_count: int = 1
    decode_count: int = 0
    decode_streams_1080p30: float = 0.0
    decode_capacity_1080p30_per_accelerator: float | None = None
    binding_limit: str = "compute"
    gflop_per_frame: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return self.meets_latency

    @property
    def frames_per_s_per_accelerator(self) -> float:
        """Compute capacity of one accelerator in frames/s of this model, batched across streams."""
        return self.effective_tops_per_accelerator * 1000.0 / self.gflop_per_frame


def vision_peak_tops(accel: AcceleratorData, precision: str) -> float:
    """Return the dense peak [TOPS or TFLOP/s] a vision network runs on at ``precision``."""
    if precision == "int8" and accel.int8_dense_tops:
        return accel.int8_dense_tops
    if precision == "fp8" and accel.fp8_dense_tflops:
        return accel.fp8_dense_tflops
    return accel.fp16_dense_tflops


def vision_frame_latency_ms(accel: AcceleratorData, gflop_per_frame: float,
                            precision: str = "int8", power_cap_w: float | None = None) -> float:
    """Return the batch-1 time of one frame [ms]: fixed time plus compute at the efficiency."""
    calibration = vision_calibration_for(accel)
    compute_scale, _ = power_cap_scales(accel, power_cap_w)
    effective_tops = vision_peak_tops(accel, precision) * calibration.efficiency * compute_scale
    return calibration.fixed_ms + gflop_per_frame / effective_tops


def decode_streams_1080p30(streams: int, fps: float, width: int, height: int) -> float:
    """Return the decode load in 1080p30-equivalent streams: scaled by pixels and frame rate."""
    return streams * (fps / 30.0) * (width * height / PIXELS_1080P)


def decode_capacity_1080p30(accel: AcceleratorData, codec: str) -> float | None:
    """Return the 1080p30 streams the accelerator's NVDEC engines decode, or None if unknown."""
    if codec == "none":
        return None
    if codec not in DECODE_1080P30_STREAMS_PER_NVDEC:
        raise ValueError(f"video codec {codec!r} is not supported; use one of "
                         + ", ".join(VIDEO_CODECS))
    if not accel.nvdec_count:
        return None
    return accel.nvdec_count * DECODE_1080P30_STREAMS_PER_NVDEC[codec]


def size_vision(
    accel: AcceleratorData,
    gflop_per_frame: float,
    fps: float,
    streams: int,
    max_latency_ms: float,
    efficiency: float | None = None,
    precision: str = "int8",
    video_codec: str = "none",
    video_width: int = 1920,
    video_height: int = 1080,
    power_cap_w: float | None = None,
) -> ComputeSizing:
    """Return how many accelerators carry ``streams`` x ``fps`` frames of ``gflop_per_frame``.

    Compute: required dense throughput = frames/s x GFLOP per frame; each
    accelerator contributes its dense peak at ``precision`` x ``efficiency``
    (default: the device class's calibration), with frames batched across
    streams. Latency is one frame at batch 1 (:func:`vision_frame_latency_ms`).
    Video decode: with a ``video_codec`` the streams must also fit the NVDEC
    engines; the larger of the two counts wins and names ``binding_limit``.
    """
    calibration = vision_calibration_for(accel)
    if efficiency is None:
        efficiency = calibration.efficiency
    compute_scale, _ = power_cap_scales(accel, power_cap_w)
    effective_tops = vision_peak_tops(accel, precision) * efficiency * compute_scale
    required_tops = gflop_per_frame * fps * streams / 1000.0
    compute_count = max(1, math.ceil(required_tops / effective_tops))
    latency_ms = calibration.fixed_ms + gflop_per_frame / effective_tops

    decode_load = 0.0
    decode_count = 0
    capacity = None
    notes: list[str] = []
    if video_codec != "none":
        decode_load = decode_streams_1080p30(streams, fps, video_width, video_height)
        capacity = decode_capacity_1080p30(accel, video_codec)
        if capacity is None:
            notes.append(f"no NVDEC figure in the catalog for {accel.name}; video decode of "
                         f"{decode_load:.1f} 1080p30-equivalent streams is not checked")
        else:
            decode_count = math.ceil(decode_load / capacity)

    count = max(compute_count, decode_count)
    binding = "video decode" if decode_count > compute_count else "compute"
    return ComputeSizing(
        accelerator_key=accel.key,
        required_tops=required_tops,
        effective_tops_per_accelerator=effective_tops,
        accelerator_count=count,
        utilization=required_tops / (count * effective_tops),
        latency_ms=latency_ms,
        meets_latency=latency_ms <= max_latency_ms,
        compute_count=compute_count,
        decode_count=decode_count,
        decode_streams_1080p30=decode_load,
        decode_capacity_1080p30_per_accelerator=capacity,
        binding_limit=binding,
        notes=notes,
        gflop_per_frame=gflop_per_frame,
    )


@dataclass
class BatchModelFit:
    """Memory fit of the model a batch job runs, on one accelerator type."""

    model: str
    tensor_parallel: int
    memory_per_gpu_gb: float
    usable_memory_per_gpu_gb: float
    fits_memory: bool


@dataclass
class BatchSizing:
    """Accelerator-hours and run time of one batch job on one accelerator type."""

    accelerator_key: str
    accelerator_hours: float
    accelerator_count: int
    run_hours: float
    window_hours: float
    model_fit: BatchModelFit | None = None

    @property
    def fits_window(self) -> bool:
        return self.run_hours <= self.window_hours

    @property
    def feasible(self) -> bool:
        return self.fits_window and (self.model_fit is None or self.model_fit.fits_memory)


def batch_window_hours(window_start_h: int, deadline_h: int) -> int:
    """Return the hours from the window start to the deadline, across midnight if needed."""
    return (deadline_h - window_start_h) % 24 or 24


def fit_batch_model(arch: LLMArchitectureData, accel: AcceleratorData, precision: str,
                    context_tokens: int, sequences: int) -> BatchModelFit:
    """Find the smallest tensor parallel degree at which the batch model and its KV cache fit.

    The KV cache contains ``sequences`` sequences of ``context_tokens`` each.
    Returns the largest allowed degree, with ``fits_memory`` false, when none fits.
    """
    usable_gb = accel.usable_memory_gb
    degrees = valid_tensor_parallel_degrees(arch, max_tensor_parallel(accel))
    memory_gb = math.inf
    for tp in degrees:
        memory_gb, _, _, _, _ = size_llm_replica(
            arch, accel, precision, context_tokens, sequences, context_tokens, tp)
        if memory_gb <= usable_gb:
            return BatchModelFit(arch.name, tp, memory_gb, usable_gb, True)
    return BatchModelFit(arch.name, degrees[-1], memory_gb, usable_gb, False)


def size_batch(
    accel: AcceleratorData,
    reference: AcceleratorData,
    reference_hours: float,
    window_start_h: int,
    deadline_h: int,
    max_accelerators: int = 8,
    model_fit: BatchModelFit | None = None,
    power_cap_w: float | None = None,
) -> BatchSizing:
    """Scale a job given in hours on ``reference`` to ``accel`` and fit it in its window.

    Batch inference is assumed compute-bound, so the hours scale with the ratio
    of dense FP16 throughput, and with the power cap's compute scale. When the
    job's model needs tensor parallelism (``model_fit``), accelerators come in
    groups of that degree. Groups are added until the job fits the window or
    ``max_accelerators`` is reached.
    """
    compute_scale, _ = power_cap_scales(accel, power_cap_w)
    hours = reference_hours * reference.fp16_dense_tflops / (accel.fp16_dense_tflops
                                                              * compute_scale)
    window_h = batch_window_hours(window_start_h, deadline_h)
    group = model_fit.tensor_parallel if model_fit is not None else 1
    count = group
    while hours / count > window_h and count + group <= max_accelerators:
        count += group
    return BatchSizing(
        accelerator_key=accel.key,
        accelerator_hours=hours,
        accelerator_count=count,
        run_hours=hours / count,
        window_hours=window_h,
        model_fit=model_fit,
    )
