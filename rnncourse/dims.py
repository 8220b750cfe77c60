"""Every shape of a one-layer RNN with a softmax output, computed from the notation.

The network: an input layer of ``n_in`` features (layer 0), one recurrent layer of
``n_hidden`` neurons (layer 1) and an output layer of ``n_out`` neurons (layer 2),
trained on batches of ``batch`` sequences of ``seq_len`` steps. With
``n_h = n_hidden``, ``m = batch`` and ``T = seq_len``:

    z_t = W_F x_t + W_R a_{t-1} + b,   a_t = tanh(z_t),   y_t = softmax(W_out a_t + b_out)

The quizzes and the shape explorer of notebook 05 read their answers from here.
"""

from __future__ import annotations

from .errors import check_positive_ints

__all__ = ["rnn_shapes", "parameter_counts", "framework_shapes"]

Shape = tuple[int, ...]


def rnn_shapes(n_in: int, n_hidden: int, n_out: int, batch: int, seq_len: int) -> dict[str, Shape]:
    """The shape of every array of the network, in the course notation.

    Parameters
    ----------
    n_in : n_0, features per time step
    n_hidden : n_1 = n_h, neurons of the recurrent layer
    n_out : n_2, neurons of the output (softmax) layer
    batch : m, sequences per batch
    seq_len : T, time steps per sequence

    Returns
    -------
    dict of shape tuples:
        "x_t" (n_in, m), "a_prev" and "a_t" and "z_t" (n_h, m),
        "W_F" (n_h, n_in), "W_R" (n_h, n_h), "b" (n_h, 1),
        "W" (n_h, n_in + n_h), "stacked_input" (n_in + n_h, m),
        "X" (T, n_in, m), "A" (T, n_h, m),
        "W_out" (n_out, n_h), "b_out" (n_out, 1), "y_t" (n_out, m), "Y" (T, n_out, m),
        "X_batch_first" (m, T, n_in) as Keras and PyTorch (batch_first=True) lay it out.
    """
    check_positive_ints("rnn_shapes", n_in=n_in, n_hidden=n_hidden, n_out=n_out, batch=batch, seq_len=seq_len)
    n_h, m, T = n_hidden, batch, seq_len
    return {
        "x_t": (n_in, m),
        "a_prev": (n_h, m),
        "z_t": (n_h, m),
        "a_t": (n_h, m),
        "W_F": (n_h, n_in),
        "W_R": (n_h, n_h),
        "b": (n_h, 1),
        "W": (n_h, n_in + n_h),
        "stacked_input": (n_in + n_h, m),
        "X": (T, n_in, m),
        "A": (T, n_h, m),
        "W_out": (n_out, n_h),
        "b_out": (n_out, 1),
        "y_t": (n_out, m),
        "Y": (T, n_out, m),
        "X_batch_first": (m, T, n_in),
    }


def parameter_counts(n_in: int, n_hidden: int, n_out: int) -> dict[str, int]:
    """How many numbers the network learns; the batch size and T do not matter.

    Returns
    -------
    dict with "W_F" = n_h n_in, "W_R" = n_h^2, "b" = n_h, "recurrent_layer" (their sum),
    "W_out" = n_out n_h, "b_out" = n_out, "output_layer", and "total".
    """
    check_positive_ints("parameter_counts", n_in=n_in, n_hidden=n_hidden, n_out=n_out)
    n_h = n_hidden
    c = {"W_F": n_h * n_in, "W_R": n_h * n_h, "b": n_h, "W_out": n_out * n_h, "b_out": n_out}
    c["recurrent_layer"] = c["W_F"] + c["W_R"] + c["b"]
    c["output_layer"] = c["W_out"] + c["b_out"]
    c["total"] = c["recurrent_layer"] + c["output_layer"]
    return c


def framework_shapes(n_in: int, n_hidden: int, batch: int, seq_len: int) -> dict[str, dict[str, Shape]]:
    """The same layer as PyTorch's ``nn.RNN(batch_first=True)`` and Keras' ``SimpleRNN`` store it.

    Returns
    -------
    {"course": {...}, "pytorch": {...}, "keras": {...}}, each mapping a name to a shape.
    PyTorch's ``weight_ih_l0`` is W_F and ``weight_hh_l0`` is W_R (same orientation), and it
    keeps two bias vectors whose sum is b. Keras' ``kernel`` is W_F transposed, because Keras
    puts the batch in rows.
    """
    check_positive_ints("framework_shapes", n_in=n_in, n_hidden=n_hidden, batch=batch, seq_len=seq_len)
    n_h, m, T = n_hidden, batch, seq_len
    return {
        "course": {"X": (T, n_in, m), "W_F": (n_h, n_in), "W_R": (n_h, n_h), "b": (n_h, 1), "A": (T, n_h, m)},
        "pytorch": {
            "input": (m, T, n_in),
            "weight_ih_l0": (n_h, n_in),
            "weight_hh_l0": (n_h, n_h),
            "bias_ih_l0": (n_h,),
            "bias_hh_l0": (n_h,),
            "output": (m, T, n_h),
        },
        "keras": {
            "inputs": (m, T, n_in),
            "kernel": (n_in, n_h),
            "recurrent_kernel": (n_h, n_h),
            "bias": (n_h,),
            "outputs (return_sequences=True)": (m, T, n_h),
        },
    }
