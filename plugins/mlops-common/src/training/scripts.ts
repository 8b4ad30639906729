/**
 * The static training scripts of a generated repo. They take everything from their command
 * line and environment, so no user input is ever interpolated into code.
 */

/** `train.py`: PyTorch DDP under torchrun (RANK, WORLD_SIZE, LOCAL_RANK from its environment). */
export const PYTORCH_TRAIN_PY = `"""Distributed data-parallel training, launched by torchrun on every node.

torchrun (started by the PyTorchJob or TrainJob) sets RANK, WORLD_SIZE, LOCAL_RANK,
MASTER_ADDR and MASTER_PORT. Replace build_model() and build_dataset() with your own.
"""
import argparse
import os
import time
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", "/data"))
    parser.add_argument(
        "--checkpoint-dir", default=os.environ.get("CHECKPOINT_DIR", "/checkpoints")
    )
    return parser.parse_args()


def build_model():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(3 * 32 * 32, 512), nn.ReLU(), nn.Linear(512, 10)
    )


def build_dataset(data_dir):
    """Loads data_dir/train.pt (a tuple of tensors x, y) or falls back to synthetic data."""
    path = Path(data_dir) / "train.pt"
    if path.is_file():
        x, y = torch.load(path)
        return TensorDataset(x, y)
    if int(os.environ.get("RANK", "0")) == 0:
        print(f"no {path}; training on synthetic data", flush=True)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(8192, 3, 32, 32, generator=generator)
    y = torch.randint(0, 10, (8192,), generator=generator)
    return TensorDataset(x, y)


def main():
    args = parse_args()
    rank = int(os.environ["RANK"])
    world_size = int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ["LOCAL_RANK"])
    use_cuda = torch.cuda.is_available()
    if use_cuda:
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
    else:
        device = torch.device("cpu")
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")

    model = build_model().to(device)
    model = DDP(model, device_ids=[local_rank] if use_cuda else None)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    checkpoint = Path(args.checkpoint_dir) / "checkpoint.pt"
    start_epoch = 0
    if checkpoint.is_file():
        state = torch.load(checkpoint, map_location=device)
        model.module.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"] + 1
        if rank == 0:
            print(f"resumed from {checkpoint} at epoch {start_epoch}", flush=True)

    dataset = build_dataset(args.data_dir)
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank)
    loader = DataLoader(
        dataset, batch_size=args.batch_size, sampler=sampler, num_workers=2, pin_memory=use_cuda
    )

    for epoch in range(start_epoch, args.epochs):
        sampler.set_epoch(epoch)
        model.train()
        started = time.time()
        total = torch.zeros(2, device=device)
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += torch.tensor([loss.item() * len(y), len(y)], device=device)
        dist.all_reduce(total)
        if rank == 0:
            print(
                f"epoch {epoch}: loss {total[0].item() / total[1].item():.4f} "
                f"({time.time() - started:.1f}s, world size {world_size})",
                flush=True,
            )
            checkpoint.parent.mkdir(parents=True, exist_ok=True)
            tmp = checkpoint.with_suffix(".tmp")
            torch.save(
                {"epoch": epoch, "model": model.module.state_dict(), "optimizer": optimizer.state_dict()},
                tmp,
            )
            os.replace(tmp, checkpoint)
        dist.barrier()

    dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;

/** `train_ray.py`: the same model under Ray Train's TorchTrainer (one training worker per GPU). */
export const RAY_TRAIN_PY = `"""Distributed training with Ray Train, submitted by the RayJob (or by ray job submit).

Ray Train starts one PyTorch DDP worker per GPU and sets up the process group.
Replace build_model() and build_dataset() with your own.
"""
import argparse
import os
import tempfile
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import ray.train
import ray.train.torch
from ray.train import Checkpoint, RunConfig, ScalingConfig
from ray.train.torch import TorchTrainer


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--num-workers", type=int, default=1)
    parser.add_argument("--use-gpu", choices=["true", "false"], default="true")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", "/data"))
    parser.add_argument(
        "--checkpoint-dir", default=os.environ.get("CHECKPOINT_DIR", "/checkpoints")
    )
    return parser.parse_args()


def build_model():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(3 * 32 * 32, 512), nn.ReLU(), nn.Linear(512, 10)
    )


def build_dataset(data_dir):
    path = Path(data_dir) / "train.pt"
    if path.is_file():
        x, y = torch.load(path)
        return TensorDataset(x, y)
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(8192, 3, 32, 32, generator=generator)
    y = torch.randint(0, 10, (8192,), generator=generator)
    return TensorDataset(x, y)


def train_loop(config):
    model = ray.train.torch.prepare_model(build_model())
    optimizer = torch.optim.AdamW(model.parameters(), lr=config["lr"])
    loss_fn = nn.CrossEntropyLoss()
    loader = ray.train.torch.prepare_data_loader(
        DataLoader(build_dataset(config["data_dir"]), batch_size=config["batch_size"], shuffle=True)
    )
    start_epoch = 0
    checkpoint = ray.train.get_checkpoint()
    if checkpoint:
        with checkpoint.as_directory() as directory:
            state = torch.load(Path(directory) / "state.pt")
            model.module.load_state_dict(state["model"]) if hasattr(model, "module") else model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            start_epoch = state["epoch"] + 1
    for epoch in range(start_epoch, config["epochs"]):
        if ray.train.get_context().get_world_size() > 1:
            loader.sampler.set_epoch(epoch)
        total, count = 0.0, 0
        for x, y in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        with tempfile.TemporaryDirectory() as directory:
            if ray.train.get_context().get_world_rank() == 0:
                inner = model.module if hasattr(model, "module") else model
                torch.save(
                    {"epoch": epoch, "model": inner.state_dict(), "optimizer": optimizer.state_dict()},
                    Path(directory) / "state.pt",
                )
                ray.train.report({"loss": total / max(count, 1), "epoch": epoch}, checkpoint=Checkpoint.from_directory(directory))
            else:
                ray.train.report({"loss": total / max(count, 1), "epoch": epoch})


def main():
    args = parse_args()
    use_gpu = args.use_gpu == "true"
    trainer = TorchTrainer(
        train_loop,
        train_loop_config={
            "lr": args.lr,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "data_dir": args.data_dir,
        },
        scaling_config=ScalingConfig(num_workers=args.num_workers, use_gpu=use_gpu),
        # Multi-node checkpoints need storage every worker sees: a ReadWriteMany claim or S3.
        run_config=RunConfig(storage_path=args.checkpoint_dir, name="train"),
    )
    result = trainer.fit()
    print(f"finished: {result.metrics}", flush=True)


if __name__ == "__main__":
    main()
`;

/** `requirements.txt`: extra Python packages installed into the image. */
export const REQUIREMENTS_TXT = `# Extra Python packages for training; the base image already has torch.
`;

/** `.dockerignore` of a training repo. */
export const DOCKERIGNORE = `.git
deploy
*.md
catalog-info.yaml
`;
