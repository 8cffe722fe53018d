#!/usr/bin/env python3
# Reproduces a ReLU Neuron Explorer run in PyTorch: the same samples, the same starting point, the
# same learning rate and number of epochs, full-batch gradient descent on the mean squared error in
# float64, and the same derivative of ReLU at 0.
#
#   dataset:   {{file_name}} ({{samples}} samples; features: {{feature_names}}; target: {{target_name}})
#   model:     z = max(0, w·x + b),  loss l = (1/N) Σ (z_i − y_i)²
#   settings:  learning rate {{learning_rate_as_set}}, {{epochs_as_set}} epochs, init {{initialization}}, ReLU'(0) = {{relu_grad_at_zero}}, scale {{scale}}
#
# Run it with python3 (PyTorch needed: pip install torch). It prints one line per epoch with the
# columns of the explorer's CSV export (epoch,loss,w1,…,b,dl_dw1,…,dl_db,active; the line of epoch t
# holds θ_t and l, ∇l at θ_t), then compares the last epoch with the explorer's numbers and prints
# "# matches ReLU Neuron Explorer: yes" (exit code 0) or "… no" (exit code 1). The lines that are not
# data start with "#", so pandas.read_csv(..., comment="#") reads the output as it is.
import math
import sys
from decimal import Decimal

try:
    import torch
except ImportError:
    sys.exit("This script needs PyTorch: pip install torch")

# The samples exactly as the explorer read them: X is N × d (one row per sample), Y has N targets.
FEATURES = {{features}}
TARGET = {{target}}
X = [
{{rows}}
]
Y = {{y}}

# Feature scaling before training, as the explorer's "# @scale {{scale}}": "none" trains on X as it is;
# "standard" on x̃_j = (x_j − μ_j)/σ_j (σ_j with 1/N); "minmax" on x̃_j = (x_j − min_j)/(max_j − min_j).
SCALE = "{{scale}}"

# θ₀, the parameters before the first step, as the explorer's initialisation "{{initialization}}" gave them.
W0 = {{w0}}
B0 = {{b0}}

LEARNING_RATE = {{learning_rate}}  # α in θ_{t+1} = θ_t − α ∇l(θ_t)
{{stopped}}
EPOCHS = {{epochs}}  # updates; the trajectory has entries 0 … EPOCHS
RELU_GRAD_AT_ZERO = {{relu_grad_at_zero}}  # ReLU'(0): 1 is the course document's rule, 0 is PyTorch's

# The explorer's numbers at epoch {{epochs}}, to compare with.
EXPECTED_LOSS = {{expected_loss}}
EXPECTED_W = {{expected_w}}
EXPECTED_B = {{expected_b}}
# PyTorch adds the samples in another order than the explorer, so the last bits of a sum may differ.
REL_TOL = 1e-9
ABS_TOL = 1e-12


class ReLUDocument(torch.autograd.Function):
    """z = max(0, u) with ReLU'(0) = 1: the course document's max rule takes ∂g when f ≤ g, so a
    sample with u = 0 exactly counts as active and passes its gradient on.

    torch.relu cannot be used for this: its derivative at exactly 0 is 0 (PyTorch's convention). At
    w = 0, b = 0 every u is 0, so torch.relu would pass no gradient at all and the neuron would never
    move. Hence this autograd Function, whose backward pass uses the mask u >= 0 instead of u > 0.
    """

    @staticmethod
    def forward(ctx, u):
        ctx.save_for_backward(u)
        return u.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_z):
        (u,) = ctx.saved_tensors
        return grad_z * (u >= 0).to(grad_z.dtype)


def relu(u):
    """max(0, u) with the run's ReLU'(0)."""
    if RELU_GRAD_AT_ZERO == 1:
        return ReLUDocument.apply(u)
    return torch.relu(u)  # PyTorch's own ReLU: ReLU'(0) = 0


def active_count(u):
    """How many samples pass gradient: a_i = [u_i >= 0] with ReLU'(0) = 1, [u_i > 0] with 0."""
    return int((u >= 0).sum()) if RELU_GRAD_AT_ZERO == 1 else int((u > 0).sum())


def feature_scaling(rows, method):
    """Shifts s_j and factors f_j with x̃_j = (x_j − s_j)/f_j, computed as the explorer computes them:
    sums in row order, so the scaled samples are the same doubles. A feature with one value in every
    sample is left as it is (s_j = 0, f_j = 1); "none" leaves every feature as it is."""
    d = len(W0)
    shift, factor = [0.0] * d, [1.0] * d
    if method == "none" or not rows:
        return shift, factor
    n = len(rows)
    for j in range(d):
        column = [row[j] for row in rows]
        lo, hi = min(column), max(column)
        if not hi > lo:
            continue
        if method == "standard":
            mean = 0.0
            for v in column:
                mean += v
            mean /= n  # μ_j = (1/N) Σ_i x_ij
            squares = 0.0
            for v in column:
                squares += (v - mean) * (v - mean)
            shift[j], factor[j] = mean, math.sqrt(squares / n)  # σ_j = √((1/N) Σ_i (x_ij − μ_j)²)
        else:
            shift[j], factor[j] = lo, hi - lo
    return shift, factor


def in_file_units(w, b, shift, factor):
    """The trained parameters on the file's numbers: w_j / f_j and b − Σ_j w_j s_j / f_j."""
    bias = b
    for wj, sj, fj in zip(w, shift, factor):
        bias -= (wj * sj) / fj
    return [wj / fj for wj, fj in zip(w, factor)], bias


{{js_number}}


def csv_line(values):
    return ",".join(str(v) if isinstance(v, int) else js_number(v) for v in values)


def main():
    x = torch.tensor(X, dtype=torch.float64)
    shift, factor = feature_scaling(X, SCALE)
    if SCALE != "none":  # x̃_ij = (x_ij − s_j)/f_j, in plain floats as the explorer computes it
        x = torch.tensor([[(v - s) / f for v, s, f in zip(row, shift, factor)] for row in X], dtype=torch.float64)
    y = torch.tensor(Y, dtype=torch.float64)
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B0, dtype=torch.float64, requires_grad=True)
    d = len(W0)
    names = [f"w{j + 1}" for j in range(d)]
    print(",".join(["epoch", "loss", *names, "b", *[f"dl_d{n}" for n in names], "dl_db", "active"]))
    for epoch in range(EPOCHS + 1):
        u = x @ w + b  # u_i = w·x_i + b
        z = relu(u)  # z_i = max(0, u_i)
        loss = ((z - y) ** 2).mean()  # l = (1/N) Σ (z_i − y_i)²
        w.grad = None
        b.grad = None
        loss.backward()  # ∂l/∂w = (2/N) Σ a_i (z_i − y_i) x_i,  ∂l/∂b = (2/N) Σ a_i (z_i − y_i)
        print(csv_line([epoch, loss.item(), *w.tolist(), b.item(), *w.grad.tolist(), b.grad.item(), active_count(u)]))
        if epoch == EPOCHS:
            break
        with torch.no_grad():  # θ_{t+1} = θ_t − α ∇l(θ_t)
            w -= LEARNING_RATE * w.grad
            b -= LEARNING_RATE * b.grad

    def close(a, e):
        return math.isclose(a, e, rel_tol=REL_TOL, abs_tol=ABS_TOL)

    final_w, final_b, final_loss = w.tolist(), b.item(), loss.item()
    same = close(final_loss, EXPECTED_LOSS) and close(final_b, EXPECTED_B) and all(close(a, e) for a, e in zip(final_w, EXPECTED_W))
    print(f"# PyTorch at epoch {EPOCHS}: loss {js_number(final_loss)}, w {[js_number(v) for v in final_w]}, b {js_number(final_b)}")
    print(f"# explorer at epoch {EPOCHS}: loss {js_number(EXPECTED_LOSS)}, w {[js_number(v) for v in EXPECTED_W]}, b {js_number(EXPECTED_B)}")
    if SCALE != "none":
        file_w, file_b = in_file_units(final_w, final_b, shift, factor)
        print(f"# in the file's units (on the raw X): w {[js_number(v) for v in file_w]}, b {js_number(file_b)}")
    print("# matches ReLU Neuron Explorer: " + ("yes" if same else "no"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
