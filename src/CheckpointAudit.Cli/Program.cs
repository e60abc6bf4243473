return await CheckpointAudit.Cli.AuditCommand.RunAsync(args, Console.Out, Console.Error);
