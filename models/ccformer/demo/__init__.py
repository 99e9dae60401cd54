"""The bundled demo model's reproducible recipe (`ccformer demo-model`) and the audio ablations (`ccformer ablate`).

- `ccformer.demo.ablation`: `ablate_checkpoint`, `evaluate_modes` (project metrics under each audio condition).
- `ccformer.demo.recipe`: the steps data -> train -> visual -> ablate -> export -> sample -> card.
- `ccformer.demo.card`: models/MODEL_CARD.md rendered from the recipe's results.json.
"""
