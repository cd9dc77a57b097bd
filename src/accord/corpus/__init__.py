"""The corpus: the document store, readers, search (BM25, semantic) and evidence checks."""
