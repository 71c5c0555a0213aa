"""Citations: formatted references, downloads (RIS, BibTeX, CSL-JSON) and citation meta tags."""
