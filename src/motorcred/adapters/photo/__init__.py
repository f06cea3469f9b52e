"""Photo intake: safe decoding of uploads and the automatic licence-photo pre-check."""
