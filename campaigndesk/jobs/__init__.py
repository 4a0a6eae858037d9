"""Long work in the background (issue 17 point 4): a Job record per request, run by the
task queue's worker, with progress, a result file and failures shown and audited.

Low in the layers: above `units` and `audit`, below the domain apps. A domain app registers
its kinds of job (`registry.register`) in its AppConfig.ready(); this app never imports them.
"""
