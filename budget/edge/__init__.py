"""Everything that touches a file: sheet specs, readers, the workbook guard, cache, writes."""
