"""Papers from live sources (Hugging Face Papers, arXiv, OpenReview, PDFs), each listed with where
it came from, over the one HTTP transport of `auditor.net`; their full text read when asked."""

# What the command line shows in its help stands here, in the package's face: parsing arguments
# (and `auditor --help`) loads none of the stage's modules.
DEFAULT_MAX_PAPERS = 500
