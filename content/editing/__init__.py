"""The editors' machinery behind the admin: base admin classes, publishing, history, reviews,
checks, forms, locking, differences, widgets, uploads, permissions and the editor's endpoints."""
