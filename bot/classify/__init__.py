"""Classification: taxonomy files, text normalisation, the explainable keyword classifier,
the similarity measure behind duplicates, and the tools that evaluate and learn keywords."""
