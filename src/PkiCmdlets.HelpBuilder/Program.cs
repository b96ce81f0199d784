using PkiCmdlets.HelpBuilder;

return HelpBuilderCommand.Run(args, Console.Out, Console.Error);
