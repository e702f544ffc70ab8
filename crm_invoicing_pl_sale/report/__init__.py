from . import sales_analysis
