"""Training configs: dataclass schema (`schema.py`) + thin YAML files per subset x backbone in this folder."""

from ccformer.configs.schema import (
    Config,
    ConfigError,
    DataConfig,
    EvalConfig,
    LossConfig,
    OptimConfig,
    RunConfig,
    config_from_dict,
    find_config,
    load_config,
    parse_overrides,
    save_config,
)

__all__ = ["Config", "ConfigError", "DataConfig", "EvalConfig", "LossConfig", "OptimConfig", "RunConfig",
           "config_from_dict", "find_config", "load_config", "parse_overrides", "save_config"]
