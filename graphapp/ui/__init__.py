"""The desktop window (PySide6): a view and an editor of the graphapp.core model."""
