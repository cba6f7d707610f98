"""Papers from live sources (Hugging Face Papers, arXiv, OpenReview, PDFs), each listed with where
it came from, over the one HTTP transport of `auditor.net`; their full text read when asked."""
