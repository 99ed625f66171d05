"""What zoo code runs inside (``run``): its own namespace of modules (``namespace``), a command line that
never exits (``argv``), the guard against side effects (``guard``), ``mindspore.export`` and checkpoint loading
captured (``capture``), an eval script's network and datasets captured (``eval_capture``, ``data_code``) and
the dataset pipelines it records (``pipeline``)."""
