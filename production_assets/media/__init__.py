"""Facts about media that several layers need (frame rates and timecode, the speech engine), without
importing an encoder: validation checks a production with them, export builds files with them."""
