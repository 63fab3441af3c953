"""From YAML to a resolved production: safe parsing with positions, presets, shots."""
