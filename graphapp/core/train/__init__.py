"""The training lab, Qt-free: optimizers, initializers, data sets, templates, the trainer."""
