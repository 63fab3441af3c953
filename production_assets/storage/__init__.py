"""Files as the product writes and reads them: atomic publishing (temp file, fsync, rename; staged groups;
whole folders) and frame PNGs. Below post and export, which both use them."""
