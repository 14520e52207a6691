"""The shift's story for supervisors: figures from what the bot stores, a message, a chart and a CSV,
posted at each shift's end, on `/floor report`, and summed up on supervisors' App Home (issue 21)."""
