"""The Markdown pipeline: pure functions from an editor's text to safe HTML; it imports no model."""
