"""Inference demand: memory, time per token and compute for one workload on one accelerator.

Plain functions on numbers. Memory is in GB (1e9 bytes); accelerator memory
from the catalog is the marketed figure, which NVIDIA states in GiB (an
"80 GB" H100 reports 81,559 MiB in nvidia-smi), so it is converted with
``GIB_TO_GB`` before use.

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

KV_BYTES_PER_ELEMENT = 2.0  # engines keep the KV cache in FP16/BF16 unless told otherwise

# Measured single-stream decode reaches 0.52-0.83 of the memory-bandwidth
# roofline (NVIDIA NIM on H100: 0.52 and 0.57; vLLM on A100: 0.77; Jetson AGX
# Orin: 0.80). 0.6 sits at the conservative end for data-centre GPUs.
DEFAULT_MEMORY_EFFICIENCY = 0.6
# Prefill reaches roughly 0.4-0.7 of dense peak in published runs; 0.5 is used.
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

# Vision models at batch 1 reach a small fraction of dense peak: 5-25 % in
# published TensorRT runs (YOLOv8n INT8 on Orin Nano: 286 frames/s x 8.7 GFLOP).
DEFAULT_VISION_EFFICIENCY = 0.10


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
        # Input embedding and output head (untied) stay at 16 bits.
        embedding_params = 2.0 * arch.vocab_size * arch.hidden_size
        return (embedding_params * 16 + (params - embedding_params) * bits) / 8 / 1e9
    return params * bits / 8 / 1e9


def kv_bytes_per_token(arch: LLMArchitectureData) -> float:
    """Return the KV cache of one token across all layers [bytes]."""
    return 2.0 * arch.layers * arch.kv_heads * arch.head_dim * KV_BYTES_PER_ELEMENT


def valid_tensor_parallel_degrees(arch: LLMArchitectureData, max_degree: int = 8) -> list[int]:
    """Return the tensor parallel degrees (1, 2, 4, 8) that divide the attention heads."""
    return [tp for tp in (1, 2, 4, 8) if tp <= max_degree and arch.attention_heads % tp == 0]


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
    memory_efficiency: float = DEFAULT_MEMORY_EFFICIENCY,
    compute_efficiency: float = DEFAULT_COMPUTE_EFFICIENCY,
) -> tuple[float, float, float, float, float]:
    """Size one replica serving ``users`` sequences with tensor parallel ``tensor_parallel``.

    Returns
    -------
    memory_per_gpu_gb, kv_total_gb, overhead_gb, time_per_token_s, time_to_first_token_s
    """
    tp = tensor_parallel
    weights_total_gb = weights_gb(arch, precision)
    kv_token_bytes = kv_bytes_per_token(arch)

    # KV heads are split across GPUs, or replicated once TP exceeds them.
    kv_share = max(arch.kv_heads / tp, 1.0) / arch.kv_heads
    kv_total_gb = kv_token_bytes * context_tokens * users / 1e9
    kv_per_gpu_gb = kv_total_gb * kv_share

    # Peak activation of one layer while a prefill chunk runs (layers run in turn).
    activation_gb = PREFILL_CHUNK_TOKENS * (4 * arch.hidden_size + 2 * arch.ffn_size) * 2 / 1e9
    overhead_gb = RUNTIME_OVERHEAD_GB + activation_gb / tp
    memory_per_gpu_gb = weights_total_gb / tp + kv_per_gpu_gb + overhead_gb

    # Decode: each step reads the active weights and the KV cache in use (on
    # average half the context is filled).
    active_fraction = arch.params_active_b / arch.params_total_b
    bytes_per_step = weights_total_gb * 1e9 * active_fraction + kv_token_bytes * users * (
        context_tokens / 2
    )
    bandwidth_bytes_per_s = accel.memory_bandwidth_gbps * 1e9 * memory_efficiency
    memory_time_s = bytes_per_step / tp / bandwidth_bytes_per_s
    dense_flops = dense_compute_tflops(accel, precision) * 1e12 * compute_efficiency
    compute_time_s = 2.0 * arch.params_active_b * 1e9 * users / (tp * dense_flops)
    allreduce_s = 0.0
    if tp > 1:
        link_gbps = accel.nvlink_gbps if accel.nvlink != "none" and accel.nvlink_gbps else (
            PCIE_GEN4_X16_GBPS
        )
        message_bytes = 2.0 * users * arch.hidden_size * 2 * (tp - 1) / tp
        per_allreduce_s = max(message_bytes / (link_gbps * 1e9), 0.0) + ALLREDUCE_FLOOR_S
        allreduce_s = 2 * arch.layers * per_allreduce_s
    time_per_token_s = max(memory_time_s, compute_time_s) + allreduce_s

    prefill_flops = 2.0 * arch.params_active_b * 1e9 * prompt_tokens
    time_to_first_token_s = prefill_flops / (tp * dense_flops) + memory_time_s
    return memory_per_gpu_gb, kv_total_gb, overhead_gb, time_per_token_s, time_to_first_token_s


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
) -> LLMSizing:
    """Find the fewest accelerators of one type that serve the LLM workload.

    Tries each valid tensor parallel degree with 1, 2, ... replicas (users split
    evenly) and returns the first layout, by accelerator count, that fits
    memory and meets the latency targets. When none does, returns the layout
    closest to fitting with ``fits_memory`` or ``meets_latency`` false.
    """
    usable_gb = accel.usable_memory_gb
    max_tp = 8 if accel.nvlink == "switch" else (4 if accel.form_factor == "pcie" else 1)
    if accel.form_factor == "embedded":
        max_tp = 1
    tp_options = valid_tensor_parallel_degrees(arch, max_tp)

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
            arch, accel, precision, context_tokens, users, prompt_tokens, tp)
        per_user_tps = 1.0 / per_token_s
        fits = memory_gb <= usable_gb
        meets = (
            per_token_s * 1000 <= max_time_per_token_ms
            and ttft_s * 1000 <= max_time_to_first_token_ms
            and per_user_tps >= min_tokens_per_s_per_user
        )
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
            f"needs {fallback.memory_per_gpu_gb:.1f} GB per accelerator, "
            f"{usable_gb:.1f} GB usable, with up to {max_accelerators} accelerators")
    else:
        fallback.notes.append(
            f"{fallback.time_per_token_ms:.1f} ms per token and "
            f"{fallback.time_to_first_token_ms:.0f} ms to first token miss the targets "
            f"({max_time_per_token_ms:g} ms, {max_time_to_first_token_ms:g} ms)")
    return fallback


@dataclass
class ComputeSizing:
    """Compute demand of a vision or trading workload on one accelerator type."""

    accelerator_key: str
    required_tops: float
    effective_tops_per_accelerator: float
    accelerator_count: int
    utilization: float
    latency_ms: float
    meets_latency: bool

    @property
    def feasible(self) -> bool:
        return self.meets_latency


def size_vision(
    accel: AcceleratorData,
    gflop_per_frame: float,
    fps: float,
    streams: int,
    max_latency_ms: float,
    efficiency: float = DEFAULT_VISION_EFFICIENCY,
) -> ComputeSizing:
    """Return how many accelerators carry ``streams`` x ``fps`` frames of ``gflop_per_frame``.

    Required dense throughput = frames/s x GFLOP per frame; each accelerator
    contributes its dense INT8 (else FP16) peak x ``efficiency``. Latency is
    the time one frame takes on one accelerator at that efficiency.
    """
    peak_tops = accel.int8_dense_tops or accel.fp16_dense_tflops
    effective_tops = peak_tops * efficiency
    required_tops = gflop_per_frame * fps * streams / 1000.0
    count = max(1, math.ceil(required_tops / effective_tops))
    latency_ms = gflop_per_frame / (effective_tops * 1000.0) * 1000.0
    return ComputeSizing(
        accelerator_key=accel.key,
        required_tops=required_tops,
        effective_tops_per_accelerator=effective_tops,
        accelerator_count=count,
        utilization=required_tops / (count * effective_tops),
        latency_ms=latency_ms,
        meets_latency=latency_ms <= max_latency_ms,
    )


@dataclass
class BatchSizing:
    """Accelerator-hours and run time of one batch job on one accelerator type."""

    accelerator_key: str
    accelerator_hours: float
    accelerator_count: int
    run_hours: float
    window_hours: float

    @property
    def feasible(self) -> bool:
        return self.run_hours <= self.window_hours


def batch_window_hours(window_start_h: int, deadline_h: int) -> int:
    """Return the hours from the window start to the deadline, across midnight if needed."""
    return (deadline_h - window_start_h) % 24 or 24


def size_batch(
    accel: AcceleratorData,
    reference: AcceleratorData,
    reference_hours: float,
    window_start_h: int,
    deadline_h: int,
    max_accelerators: int = 8,
) -> BatchSizing:
    """Scale a job given in hours on ``reference`` to ``accel`` and fit it in its window.

    Batch inference is assumed compute-bound, so the hours scale with the ratio
    of dense FP16 throughput. Accelerators are added until the job fits the
    window or ``max_accelerators`` is reached.
    """
    hours = reference_hours * reference.fp16_dense_tflops / accel.fp16_dense_tflops
    window_h = batch_window_hours(window_start_h, deadline_h)
    count = 1
    while hours / count > window_h and count < max_accelerators:
        count += 1
    return BatchSizing(
        accelerator_key=accel.key,
        accelerator_hours=hours,
        accelerator_count=count,
        run_hours=hours / count,
        window_hours=window_h,
    )
