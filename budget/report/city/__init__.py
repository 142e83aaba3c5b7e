"""The city's report (contract §10): JSON, HTML and Excel, and the office's workbook of
positions prefilled. Its own modules and template: the nämnd's report is left alone."""
