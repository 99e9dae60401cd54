"""`fit`: the whole training run — setup, epochs, best-on-val checkpoint, one test run with the best weights.

Run folder: config.yaml (resolved config), log.jsonl, tb/ (TensorBoard), last.pt, best.pt, val/ and test/
(metrics.json + summary.md). `resume` continues from last.pt exactly where it stopped (also mid-epoch).
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn.parallel import DistributedDataParallel

from ccformer.configs import Config, ConfigError, save_config
from ccformer.engine import builders
from ccformer.engine.checkpoint import init_from, load_checkpoint, save_checkpoint, set_rng_state, unwrap
from ccformer.engine.distributed import DistInfo, barrier, broadcast_module, broadcast_object
from ccformer.engine.logger import RunLogger
from ccformer.engine.loops import evaluate, train_one_epoch
from ccformer.engine.report import write_summary
from ccformer.losses import Criterion
from ccformer.model.bcl import collapse_warning
from ccformer.model.registry import build_from_config


def seed_everything(seed: int) -> None:
    """Same seed on every rank (identical initial weights; DDP would broadcast them anyway)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_run_dir(cfg: Config, info: DistInfo) -> Path:
    """`run.out_dir/run.name` (name defaults to task_variant_timestamp, agreed across ranks)."""
    name = cfg.run.name or f"{cfg.data.task}_{cfg.model.get('variant', 'model')}_{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir = Path(str(broadcast_object(str(Path(cfg.run.out_dir) / name))))
    if info.is_main:
        run_dir.mkdir(parents=True, exist_ok=True)
    return run_dir


def fit(cfg: Config, info: DistInfo, *, resume: str = "", say: Any = print) -> dict[str, Any]:
    """Train per `cfg` on this process (one rank of a torchrun job, or alone). Returns the final summary."""
    if cfg.run.amp == "fp16" and info.device.type != "cuda":
        raise ConfigError("run.amp=fp16 needs CUDA; use run.amp=bf16 or off on the CPU")
    if cfg.run.amp not in ("off", "bf16", "fp16"):
        raise ConfigError(f"run.amp must be off, bf16 or fp16, got {cfg.run.amp!r}")
    seed_everything(cfg.run.seed)
    torch.backends.cudnn.benchmark = not cfg.run.deterministic
    if cfg.run.deterministic:
        torch.use_deterministic_algorithms(True, warn_only=True)
    ckpt = load_checkpoint(resume) if resume else None
    train_set = builders.build_dataset(cfg, cfg.data.train_split)  # fails fast, before any folder is made
    val_set = builders.build_dataset(cfg, cfg.data.val_split)
    model_cfg = cfg.model_config()
    model = build_from_config(model_cfg, load_weights=ckpt is None).to(info.device)
    if cfg.run.init_from and ckpt is None:
        report = init_from(model, cfg.run.init_from)
        say(f"init from {cfg.run.init_from}: {len(report['loaded'])} tensors loaded; not loaded: "
            f"shape mismatch {report['shape_mismatch']}, missing {report['missing']}, "
            f"unexpected {report['unexpected']}")
    if model_cfg.bcl == "off" and cfg.loss.w_bcl > 0:
        raise ConfigError(f"model.bcl=off but loss.w_bcl={cfg.loss.w_bcl}: set loss.w_bcl=0")
    if cfg.loss.w_audio_tag > 0 and not model_cfg.audio_tagging:
        raise ConfigError(f"loss.w_audio_tag={cfg.loss.w_audio_tag} needs model.audio_tagging=true (AVSS)")
    criterion = Criterion(cfg.data.task, w_dice=cfg.loss.w_dice, w_bce=cfg.loss.w_bce, w_ce=cfg.loss.w_ce,
                          w_avss_dice=cfg.loss.w_avss_dice,
                          w_audio_tag=cfg.loss.w_audio_tag, w_aux=cfg.loss.w_aux, w_bcl=cfg.loss.w_bcl,
                          bcl_mode=model_cfg.bcl, tau=cfg.loss.tau, aux_full_res=cfg.loss.aux_full_res)
    steps_per_epoch = len(builders.train_loader(cfg, train_set, info, 0))
    if steps_per_epoch == 0:
        raise ConfigError(f"{len(train_set)} training clips cannot fill one batch of {cfg.optim.batch_size} "
                         f"x {info.world_size} processes")
    optimizer = builders.build_optimizer(cfg, model)
    # The schedule's horizon is always epochs x steps (max_steps only stops early), so a resumed run matches.
    scheduler = builders.build_scheduler(cfg, optimizer, cfg.optim.epochs * steps_per_epoch)
    scaler = torch.amp.GradScaler(info.device.type, enabled=cfg.run.amp == "fp16")
    epoch, epoch_step, step, best = 0, 0, 0, {"miou": -1.0, "epoch": -1}
    run_dir = Path(resume).expanduser().resolve().parent if resume else make_run_dir(cfg, info)
    if ckpt is not None:
        unwrap(model).load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        scheduler.load_state_dict(ckpt["scheduler"])
        if ckpt.get("scaler"):
            scaler.load_state_dict(ckpt["scaler"])
        epoch, epoch_step, step, best = ckpt["epoch"], ckpt.get("epoch_step", 0), ckpt["step"], ckpt["best"]
        set_rng_state(ckpt["rng"])
        say(f"resumed {resume} at epoch {epoch} (+{epoch_step} batches), step {step}")
    if info.is_main:
        save_config(cfg, run_dir / "config.yaml")
    logger = RunLogger(run_dir if info.is_main else None, tensorboard=cfg.run.tensorboard)
    if info.distributed:
        bcl_unused = model_cfg.bcl != "off" and cfg.loss.w_bcl == 0
        model = DistributedDataParallel(
            model, device_ids=[info.local_rank] if info.device.type == "cuda" else None,
            find_unused_parameters=cfg.run.find_unused_parameters or bcl_unused)
    progress = cfg.run.progress and info.is_main
    val_loader = builders.eval_loader(cfg, val_set, info)
    cfg_dict = cfg.to_dict()

    first_epoch_bcl: list[float] = []

    def on_step(s: int, values: dict[str, float]) -> None:
        if epoch == 0 and "bcl_raw" in values:
            first_epoch_bcl.append(values["bcl_raw"])
        if s % max(cfg.run.log_every, 1) == 0 or s == 1:
            logger.log("train", s, values)

    def checkpoint(path: Path, metrics: dict[str, Any] | None = None) -> None:
        if info.is_main:
            save_checkpoint(path, model=model, config=cfg_dict, optimizer=optimizer, scheduler=scheduler,
                            scaler=scaler, epoch=epoch, step=step, best=best, metrics=metrics,
                            extra={"epoch_step": epoch_step})

    while epoch < cfg.optim.epochs and not (cfg.optim.max_steps and step >= cfg.optim.max_steps):
        loader = builders.train_loader(cfg, train_set, info, epoch, skip_batches=epoch_step)
        step, done, means = train_one_epoch(
            model, criterion, loader, optimizer, scheduler, scaler, device=info.device, amp=cfg.run.amp,
            grad_clip=cfg.optim.grad_clip, step=step, max_steps=cfg.optim.max_steps, epoch=epoch,
            on_step=on_step, progress=progress, total=len(loader))
        epoch_step += done
        finished = epoch_step >= steps_per_epoch
        if finished and epoch == 0:
            warning = collapse_warning(first_epoch_bcl)
            if warning:
                say(f"warning: {warning}")
                logger.log("warning", step, {"bcl_collapse": sum(first_epoch_bcl) / len(first_epoch_bcl)})
        stopping = not finished or epoch + 1 >= cfg.optim.epochs
        if finished:
            epoch, epoch_step = epoch + 1, 0
        logger.log("epoch", step, {"epoch": epoch, **{f"mean_{k}": v for k, v in means.items()}})
        metrics = None
        if stopping or epoch % max(cfg.eval.every, 1) == 0:
            metrics = evaluate(model, val_loader, task=cfg.data.task, num_videos=len(val_set),
                               fscore_batch_size=cfg.eval.fscore_batch_size, device=info.device,
                               amp=cfg.run.amp, progress=progress, desc="val")
            logger.log("val", step, {"epoch": epoch, **metrics})
            say(f"epoch {epoch} step {step}: val miou {metrics['miou']:.4f} fscore {metrics['fscore']:.4f}")
            if metrics["miou"] > best["miou"]:
                best = {"miou": metrics["miou"], "epoch": epoch, "step": step}
                checkpoint(run_dir / "best.pt", metrics)
                if info.is_main:
                    write_summary(run_dir / "val", metrics, {"task": cfg.data.task, "split": cfg.data.val_split,
                                                             "epoch": epoch, "step": step})
        checkpoint(run_dir / "last.pt", metrics)
    barrier()
    result: dict[str, Any] = {"run_dir": str(run_dir), "best": best, "step": step}
    if cfg.eval.test_after and broadcast_object((run_dir / "best.pt").is_file()):
        if info.is_main:
            unwrap(model).load_state_dict(load_checkpoint(run_dir / "best.pt")["model"])
        broadcast_module(unwrap(model))
        test_set = builders.build_dataset(cfg, cfg.data.test_split)
        metrics = evaluate(model, builders.eval_loader(cfg, test_set, info), task=cfg.data.task,
                           num_videos=len(test_set), fscore_batch_size=cfg.eval.fscore_batch_size,
                           device=info.device, amp=cfg.run.amp, progress=progress, desc="test")
        logger.log("test", step, metrics)
        if info.is_main:
            write_summary(run_dir / "test", metrics, {"task": cfg.data.task, "split": cfg.data.test_split,
                                                      "checkpoint": str(run_dir / "best.pt"), **best})
        result["test"] = metrics
    logger.close()
    return result
