"""PyTorch CPU reference for `deno task bench` (tests/bench/speed.ts).

Times the same workloads as EquiLab's models, with PyTorch's stock modules:

  lstm         nn.LSTM(batch_first) + Linear on the last step, MSE, Adam; one sample = one epoch
               over shuffled windows in mini-batches.
  transformer  Linear(features, d) embedding, nn.TransformerEncoder of post-norm
               nn.TransformerEncoderLayer(d, heads, 4d, dropout, batch_first), Linear(d, classes)
               on the last position, cross-entropy, clip_grad_norm_(1.0), Adam; one sample = one step.
               PyTorch's layer also drops out inside its feed-forward block, which EquiLab's does not:
               one extra elementwise op per layer on PyTorch's side.

Usage (run with Debian's /usr/bin/python3, which has python3-torch):

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/bench/pytorch_reference.py versions
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/bench/pytorch_reference.py '<spec JSON>'

The spec is the JSON object speed.ts sends (kind, shapes, learningRate, warmup, repeats, threads).
Prints one JSON line: {"samples": [seconds, ...], ...}. Warm-up samples are run and dropped.
"""

import json
import os
import platform
import sys
import time

import torch
from torch import nn


def blas_library():
    """Path of the BLAS library torch loaded (Debian's torch calls the system libblas.so.3, which is
    either the slow reference BLAS or, with libopenblas0-pthread installed, OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure BLAS is loaded
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()}
    return ", ".join(sorted(os.path.realpath(path) for path in paths)) or "none found"


def versions():
    return {"torch": torch.__version__, "python": platform.python_version(), "blas": blas_library()}


def lstm_samples(spec):
    count, days, features = spec["samples"], spec["windowDays"], spec["featureCount"]
    hidden, batch_size = spec["hiddenSize"], spec["batchSize"]
    generator = torch.Generator().manual_seed(1)
    inputs = torch.rand(count, days, features, generator=generator)
    targets = torch.rand(count, 1, generator=generator)

    class Regressor(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(features, hidden, batch_first=True)
            self.head = nn.Linear(hidden, 1)

        def forward(self, x):
            output, _ = self.lstm(x)
            return self.head(output[:, -1, :])

    model = Regressor()
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learningRate"])
    loss_function = nn.MSELoss()

    def epoch():
        order = torch.randperm(count, generator=generator)
        total = 0.0
        for start in range(0, count, batch_size):
            index = order[start:start + batch_size]
            optimizer.zero_grad()
            loss = loss_function(model(inputs[index]), targets[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        return total / count

    return timed(epoch, spec)


def transformer_samples(spec):
    batch_size, days, features = spec["batchSize"], spec["windowDays"], spec["featureCount"]
    d_model, heads, layers = spec["dModel"], spec["heads"], spec["layers"]
    classes = spec["classes"]
    generator = torch.Generator().manual_seed(1)
    inputs = torch.randn(batch_size, days, features, generator=generator)
    labels = torch.randint(0, classes, (batch_size,), generator=generator)
    # All days real: the padding mask is passed (as EquiLab's model always applies its mask) but masks nothing.
    padding = torch.zeros(batch_size, days, dtype=torch.bool)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Linear(features, d_model)
            layer = nn.TransformerEncoderLayer(
                d_model, heads, spec["feedForwardUnits"], spec["dropout"], batch_first=True
            )
            self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
            self.head = nn.Linear(d_model, classes)

        def forward(self, x, mask):
            encoded = self.encoder(self.embedding(x), src_key_padding_mask=mask)
            return self.head(encoded[:, -1, :])

    model = Classifier()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=spec["learningRate"])
    loss_function = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss = loss_function(model(inputs, padding), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    return timed(step, spec)


def timed(function, spec):
    for _ in range(spec["warmup"]):
        function()
    samples = []
    for _ in range(spec["repeats"]):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[1] == "versions":
        print(json.dumps(versions()))
        return 0
    spec = json.loads(argv[1])
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(1)
    kinds = {"lstm": lstm_samples, "transformer": transformer_samples}
    if spec["kind"] not in kinds:
        print(f"unknown workload kind {spec['kind']!r}", file=sys.stderr)
        return 2
    samples = kinds[spec["kind"]](spec)
    print(json.dumps({"samples": samples, "threads": torch.get_num_threads(), **versions()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
