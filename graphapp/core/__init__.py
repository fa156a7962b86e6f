"""The Qt-free model: graphs, ops, execution traces, files, examples. Imports no PySide6."""
