using System.Reflection;
using System.Text.RegularExpressions;

namespace PkiCmdlets.Core.Tests.Cmdlets;

/// <summary>The conventions of DESIGN.md, checked on the compiled cmdlets.</summary>
public sealed class CmdletSurfaceTests : IClassFixture<CmdletAssemblyFixture>
{
    // PowerShell's approved verbs for what this module does (Get-Verb); Verbs* constants compile to these.
    private static readonly HashSet<string> ApprovedVerbs = new(StringComparer.Ordinal)
    {
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New", "Open",
        "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show", "Skip", "Split",
        "Step", "Switch", "Undo", "Unlock", "Watch", "Connect", "Disconnect", "Read", "Receive", "Send", "Write", "Backup",
        "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand", "Export", "Group",
        "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke", "Register",
        "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait", "Debug", "Measure",
        "Ping", "Repair", "Resolve", "Test", "Trace", "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect", "Use",
    };

    private static readonly HashSet<string> StateChangingVerbs = new(StringComparer.Ordinal)
    {
        "New", "Set", "Remove", "Revoke", "Publish", "Submit", "Complete", "Import", "Export", "Unlock", "Lock",
    };

    private readonly CmdletAssembly _cmdlets;

    public CmdletSurfaceTests(CmdletAssemblyFixture fixture)
    {
        _cmdlets = fixture.Cmdlets;
    }

    [Fact]
    public void The_csr_cmdlets_exist() =>
        Assert.Subset(_cmdlets.CmdletTypes.Select(CmdletAssembly.CmdletName).ToHashSet(), new HashSet<string> { "New-Csr", "Get-Csr", "Set-Csr", "Remove-Csr" });

    [Fact]
    public void The_ca_and_certificate_cmdlets_exist() =>
        Assert.Subset(_cmdlets.CmdletTypes.Select(CmdletAssembly.CmdletName).ToHashSet(), new HashSet<string>
        {
            "New-RootCA", "New-SubCA", "Get-CA", "Import-CA", "Unlock-CA", "Lock-CA", "New-ServerCertificate", "New-ClientCertificate",
            "Get-IssuedCertificate", "Export-IssuedCertificate", "Revoke-IssuedCertificate", "Publish-Crl", "Import-Crl",
            "Request-SubCA", "Complete-SubCA", "Remove-CA", "Set-CAKeyPassword", "Update-CA", "Export-CA", "Install-CATrust", "Uninstall-CATrust",
        });

    [Fact]
    public void The_certificate_cmdlets_keep_the_names_they_had_before_there_were_other_profiles_as_aliases()
    {
        string[] Aliases(string cmdlet) => _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToArray();

        Assert.Equal(new[] { "Get-ServerCertificate" }, Aliases("GetIssuedCertificateCommand"));
        Assert.Equal(new[] { "Export-ServerCertificate" }, Aliases("ExportIssuedCertificateCommand"));
        Assert.Equal(new[] { "Revoke-ServerCertificate" }, Aliases("RevokeIssuedCertificateCommand"));
        var manifest = File.ReadAllText(Path.Combine(CmdletAssembly.RepositoryRoot, "PkiCmdlets.psd1"));
        var block = Regex.Match(manifest, @"AliasesToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        Assert.Equal(new[] { "Export-ServerCertificate", "Get-ServerCertificate", "Revoke-ServerCertificate" },
            Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void The_order_cmdlets_exist() =>
        Assert.Subset(_cmdlets.CmdletTypes.Select(CmdletAssembly.CmdletName).ToHashSet(), new HashSet<string>
        {
            "Submit-CertificateOrder", "Get-CertificateOrder", "Complete-CertificateOrder", "Remove-CertificateOrder",
        });

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb_and_a_singular_noun()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var name = CmdletAssembly.CmdletName(type);
            Assert.Contains(name.Split('-')[0], ApprovedVerbs);
            Assert.False(name.EndsWith("s", StringComparison.Ordinal), name + " has a plural noun");
        }
    }

    [Fact]
    public void Every_cmdlet_is_a_sealed_class_in_a_file_of_its_own_name()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            Assert.True(type.IsSealed, type.Name + " is not sealed");
            Assert.EndsWith("Command", type.Name);
            var file = Path.Combine(CmdletAssembly.RepositoryRoot, "src", "PkiCmdlets", "Commands", type.Name + ".cs");
            Assert.True(File.Exists(file), "missing " + file);
        }
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var outputTypes = type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute").ToList();
            Assert.True(outputTypes.Count > 0, type.Name + " has no [OutputType]");
        }
    }

    [Fact]
    public void State_changing_cmdlets_support_ShouldProcess_and_removal_is_high_impact()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var attribute = CmdletAssembly.Cmdlet(type);
            var verb = (string)attribute.ConstructorArguments[0].Value!;
            if (StateChangingVerbs.Contains(verb))
            {
                Assert.True(Equals(CmdletAssembly.Named(attribute, "SupportsShouldProcess"), true), type.Name + " lacks SupportsShouldProcess");
            }
            if (verb == "Remove" || verb == "Revoke")
            {
                Assert.Equal(3, CmdletAssembly.Named(attribute, "ConfirmImpact")); // ConfirmImpact.High
            }
        }
    }

    [Fact]
    public void Every_cmdlet_takes_StorePath()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            Assert.Contains("StorePath", CmdletAssembly.Parameters(type).Select(p => p.Name));
        }
    }

    [Fact]
    public void At_most_one_parameter_per_set_takes_whole_pipeline_objects()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var bySet = CmdletAssembly.Parameters(type)
                .SelectMany(p => CmdletAssembly.ParameterAttributes(p).Select(a => (Property: p, Attribute: a)))
                .Where(x => Equals(CmdletAssembly.Named(x.Attribute, "ValueFromPipeline"), true))
                .GroupBy(x => CmdletAssembly.Named(x.Attribute, "ParameterSetName") as string ?? "__AllParameterSets");
            Assert.All(bySet, g => Assert.Single(g));
        }
    }

    [Theory]
    [InlineData("SetCsrCommand", "Id")]
    [InlineData("SetCsrCommand", "Name")]
    [InlineData("RemoveCsrCommand", "Id")]
    [InlineData("RemoveCsrCommand", "Name")]
    [InlineData("GetCsrCommand", "Id")]
    [InlineData("GetCsrCommand", "Name")]
    [InlineData("NewCsrCommand", "CommonName")]
    [InlineData("NewServerCertificateCommand", "Csr")]
    [InlineData("GetIssuedCertificateCommand", "Identifier")]
    [InlineData("ExportIssuedCertificateCommand", "Identifier")]
    [InlineData("RevokeIssuedCertificateCommand", "Identifier")]
    [InlineData("GetCACommand", "Name")]
    [InlineData("UnlockCACommand", "Name")]
    [InlineData("LockCACommand", "Name")]
    [InlineData("SubmitCertificateOrderCommand", "Csr")]
    [InlineData("GetCertificateOrderCommand", "OrderId")]
    [InlineData("CompleteCertificateOrderCommand", "OrderId")]
    [InlineData("RemoveCertificateOrderCommand", "OrderId")]
    [InlineData("RemoveCACommand", "Name")]
    [InlineData("SetCAKeyPasswordCommand", "Name")]
    [InlineData("UpdateCACommand", "Name")]
    [InlineData("ExportCACommand", "Name")]
    [InlineData("InstallCATrustCommand", "Name")]
    [InlineData("UninstallCATrustCommand", "Name")]
    [InlineData("CompleteSubCACommand", "Name")]
    [InlineData("NewClientCertificateCommand", "Csr")]
    public void Identity_parameters_bind_by_property_name(string cmdlet, string parameter)
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty(parameter)!;
        Assert.All(CmdletAssembly.ParameterAttributes(property), a => Assert.Equal(true, CmdletAssembly.Named(a, "ValueFromPipelineByPropertyName")));
    }

    [Theory]
    [InlineData("NewSubCACommand")]
    [InlineData("PublishCrlCommand")]
    public void A_CA_object_or_its_name_can_be_piped_to_Issuer(string cmdlet)
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty("Issuer")!;
        Assert.All(CmdletAssembly.ParameterAttributes(property), a => Assert.Equal(true, CmdletAssembly.Named(a, "ValueFromPipeline")));
        // PowerShell converts a pipeline object to the parameter type through a one-argument constructor.
        var constructors = property.PropertyType.GetConstructors().Select(c => c.GetParameters().Single().ParameterType.FullName).ToList();
        Assert.Contains("System.String", constructors);
        Assert.Contains("PkiCmdlets.Core.Authority.CertificateAuthority", constructors);
    }

    [Fact]
    public void A_csr_object_or_pem_text_pipes_into_Submit_CertificateOrder()
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands.SubmitCertificateOrderCommand")!.GetProperty("Csr")!;
        var parameter = Assert.Single(CmdletAssembly.ParameterAttributes(property));
        Assert.Equal(true, CmdletAssembly.Named(parameter, "ValueFromPipeline"));
        Assert.Equal(true, CmdletAssembly.Named(parameter, "ValueFromPipelineByPropertyName"));
        Assert.Equal("System.String", property.PropertyType.FullName);
        // New-Csr and Get-Csr output the PEM text under that name.
        Assert.NotNull(typeof(PkiCmdlets.Core.Requests.CertificateSigningRequest).GetProperty("Csr"));
    }

    [Fact]
    public void An_order_pipes_by_OrderId_into_the_order_cmdlets_and_by_Identifier_into_the_certificate_cmdlets()
    {
        var order = typeof(PkiCmdlets.Core.Orders.CertificateOrder);
        Assert.Equal(typeof(int), order.GetProperty("OrderId")!.PropertyType);
        Assert.Equal(typeof(string), order.GetProperty("Identifier")!.PropertyType);
        foreach (var cmdlet in new[] { "GetCertificateOrderCommand", "CompleteCertificateOrderCommand", "RemoveCertificateOrderCommand" })
        {
            var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty("OrderId")!;
            Assert.Equal("System.Int32[]", property.PropertyType.FullName);
            // No "Id" alias: a Csr object's Id must never bind as an OrderId.
            Assert.Empty(Aliases(property));
        }
        foreach (var cmdlet in new[] { "GetIssuedCertificateCommand", "ExportIssuedCertificateCommand" })
        {
            var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty("Identifier")!;
            Assert.All(CmdletAssembly.ParameterAttributes(property), a => Assert.Equal(true, CmdletAssembly.Named(a, "ValueFromPipelineByPropertyName")));
        }
    }

    [Theory]
    [InlineData("Dns")]
    [InlineData("Http")]
    [InlineData("DNS")]
    [InlineData("FILE")]
    [InlineData("file")]
    public void ValidationMethod_accepts_each_of_its_spellings_in_any_case(string value)
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands.SubmitCertificateOrderCommand")!.GetProperty("ValidationMethod")!;
        var validateSet = property.GetCustomAttributesData().Single(a => a.AttributeType.FullName == "System.Management.Automation.ValidateSetAttribute");
        var values = ((IEnumerable<CustomAttributeTypedArgument>)validateSet.ConstructorArguments[0].Value!).Select(v => (string)v.Value!).ToList();
        Assert.NotEqual(false, CmdletAssembly.Named(validateSet, "IgnoreCase"));
        Assert.Contains(value, values, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(values, PkiCmdlets.Core.Orders.ValidationMethods.Names);
        // What the set lets through, the core understands.
        Assert.NotNull(PkiCmdlets.Core.Orders.ValidationMethods.Parse(value));
    }

    [Theory]
    [InlineData("SubmitCertificateOrderCommand", null)]
    [InlineData("CompleteCertificateOrderCommand", null)]
    [InlineData("RemoveCertificateOrderCommand", 3)] // ConfirmImpact.High
    public void Order_cmdlets_that_change_state_support_WhatIf_and_Confirm(string cmdlet, int? confirmImpact)
    {
        var attribute = CmdletAssembly.Cmdlet(_cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!);
        Assert.Equal(true, CmdletAssembly.Named(attribute, "SupportsShouldProcess"));
        Assert.Equal(confirmImpact, CmdletAssembly.Named(attribute, "ConfirmImpact") as int?);
    }

    [Fact]
    public void The_eab_hmac_key_is_a_secure_string()
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands.SubmitCertificateOrderCommand")!.GetProperty("EabHmacKey")!;
        Assert.Equal("System.Security.SecureString", property.PropertyType.FullName);
    }

    [Theory]
    [InlineData("GetCsrCommand", "Name", "CsrNameCompleter")]
    [InlineData("NewSubCACommand", "Issuer", "CaNameCompleter")]
    [InlineData("NewServerCertificateCommand", "Issuer", "IntermediateNameCompleter")]
    [InlineData("GetIssuedCertificateCommand", "Issuer", "IntermediateNameCompleter")]
    [InlineData("GetIssuedCertificateCommand", "DnsName", "DnsNameCompleter")]
    [InlineData("GetCsrCommand", "Id", "CsrIdCompleter")]
    [InlineData("RemoveCsrCommand", "Id", "CsrIdCompleter")]
    [InlineData("SetCsrCommand", "Id", "CsrIdCompleter")]
    [InlineData("NewCsrCommand", "KeySize", "KeySizeCompleter")]
    [InlineData("NewCsrCommand", "Country", "CountryCodeCompleter")]
    [InlineData("SetCsrCommand", "KeySize", "KeySizeCompleter")]
    [InlineData("SetCsrCommand", "Country", "CountryCodeCompleter")]
    [InlineData("NewRootCACommand", "KeySize", "KeySizeCompleter")]
    [InlineData("NewServerCertificateCommand", "Country", "CountryCodeCompleter")]
    [InlineData("GetCACommand", "Name", "CaNameCompleter")]
    [InlineData("PublishCrlCommand", "Issuer", "CaNameCompleter")]
    [InlineData("GetIssuedCertificateCommand", "Identifier", "CertificateIdentifierCompleter")]
    [InlineData("ExportIssuedCertificateCommand", "Identifier", "CertificateIdentifierCompleter")]
    [InlineData("RevokeIssuedCertificateCommand", "Identifier", "CertificateIdentifierCompleter")]
    [InlineData("GetCertificateOrderCommand", "OrderId", "OrderIdCompleter")]
    [InlineData("CompleteCertificateOrderCommand", "OrderId", "OrderIdCompleter")]
    [InlineData("RemoveCertificateOrderCommand", "OrderId", "OrderIdCompleter")]
    [InlineData("NewClientCertificateCommand", "Issuer", "IntermediateNameCompleter")]
    [InlineData("RemoveCACommand", "Name", "CaNameCompleter")]
    [InlineData("SetCAKeyPasswordCommand", "Name", "CaNameCompleter")]
    [InlineData("UpdateCACommand", "Name", "CaNameCompleter")]
    [InlineData("ExportCACommand", "Name", "CaNameCompleter")]
    [InlineData("ImportCrlCommand", "Issuer", "CaNameCompleter")]
    [InlineData("InstallCATrustCommand", "Name", "RootNameCompleter")]
    [InlineData("UninstallCATrustCommand", "Name", "RootNameCompleter")]
    [InlineData("CompleteSubCACommand", "Name", "PendingCaNameCompleter")]
    public void Values_that_come_from_the_store_are_tab_completed(string cmdlet, string parameter, string completer)
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty(parameter)!;
        var attribute = property.GetCustomAttributesData().Single(a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        Assert.Equal("PkiCmdlets.Completion." + completer, ((Type)attribute.ConstructorArguments[0].Value!).FullName);
    }

    [Fact]
    public void Passwords_are_secure_strings_and_never_plain_text()
    {
        foreach (var property in _cmdlets.CmdletTypes.SelectMany(CmdletAssembly.Parameters))
        {
            // A switch such as -NoPassword carries no secret.
            if (property.Name.Contains("Password", StringComparison.OrdinalIgnoreCase)
                && property.PropertyType.FullName != "System.Management.Automation.SwitchParameter")
            {
                Assert.Equal("System.Security.SecureString", property.PropertyType.FullName);
            }
        }
    }

    [Theory]
    [InlineData("NewCsrCommand", "Algorithm", "KeyAlgorithm")]
    [InlineData("NewCsrCommand", "KeySize", "KeyLength")]
    [InlineData("NewCsrCommand", "SubjectAlternativeName", "Sans")]
    [InlineData("NewCsrCommand", "SubjectAlternativeName", "Domain")]
    [InlineData("NewCsrCommand", "State", "Province")]
    [InlineData("NewCsrCommand", "Locality", "City")]
    [InlineData("NewCsrCommand", "Organization", "CorpName")]
    [InlineData("NewCsrCommand", "OrganizationalUnit", "Department")]
    [InlineData("SetCsrCommand", "Algorithm", "KeyAlgorithm")]
    [InlineData("SetCsrCommand", "KeySize", "KeyLength")]
    [InlineData("NewRootCACommand", "Algorithm", "KeyAlgorithm")]
    [InlineData("NewRootCACommand", "KeySize", "KeyLength")]
    [InlineData("NewSubCACommand", "Issuer", "ParentIdentifier")]
    [InlineData("NewServerCertificateCommand", "Issuer", "ParentIdentifier")]
    [InlineData("NewServerCertificateCommand", "NotBefore", "BeforeTime")]
    [InlineData("NewServerCertificateCommand", "NotAfter", "AfterTime")]
    [InlineData("ExportIssuedCertificateCommand", "LiteralPath", "PSPath")]
    [InlineData("SubmitCertificateOrderCommand", "ValidationMethod", "ValidateType")]
    [InlineData("SubmitCertificateOrderCommand", "Profile", "ProductCode")]
    [InlineData("SubmitCertificateOrderCommand", "Server", "DirectoryUrl")]
    public void Parameters_carry_the_aliases_users_know(string cmdlet, string parameter, string alias)
    {
        var property = _cmdlets.Assembly.GetType("PkiCmdlets.Commands." + cmdlet)!.GetProperty(parameter)!;
        Assert.Contains(alias, Aliases(property));
    }

    [Fact]
    public void No_bouncycastle_type_appears_in_a_parameter_or_output_type()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            foreach (var property in CmdletAssembly.Parameters(type))
            {
                Assert.DoesNotContain("BouncyCastle", property.PropertyType.FullName ?? string.Empty);
            }
            foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute"))
            {
                // Our own types need a view; .NET's (FileInfo) have PowerShell's.
                foreach (var outputType in ((IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!)
                    .Where(t => t.FullName!.StartsWith("PkiCmdlets.", StringComparison.Ordinal)))
                {
                    Assert.All(outputType.GetProperties(), p => Assert.DoesNotContain("BouncyCastle", p.PropertyType.FullName ?? string.Empty));
                }
            }
        }
    }

    // Common parameters and their aliases; a cmdlet parameter or alias equal to one of these makes
    // PowerShell refuse the whole command (MetadataException) the first time it is used.
    private static readonly string[] CommonParameterNames =
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov",
        "OutBuffer", "ob", "PipelineVariable", "pv", "ProgressAction", "proga", "WhatIf", "wi", "Confirm", "cf",
    };

    [Fact]
    public void No_two_parameters_share_a_name_or_alias_and_none_shadows_a_common_parameter()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var seen = new HashSet<string>(CommonParameterNames, StringComparer.OrdinalIgnoreCase);
            foreach (var property in CmdletAssembly.Parameters(type))
            {
                foreach (var name in new[] { property.Name }.Concat(Aliases(property)))
                {
                    Assert.True(seen.Add(name), $"{CmdletAssembly.CmdletName(type)}: '{name}' is used twice");
                }
            }
        }
    }

    [Fact]
    public void Positions_are_unique_within_every_parameter_set()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var declared = CmdletAssembly.Parameters(type)
                .SelectMany(p => CmdletAssembly.ParameterAttributes(p).Select(a => (
                    Name: p.Name,
                    Set: CmdletAssembly.Named(a, "ParameterSetName") as string ?? "__AllParameterSets",
                    Position: CmdletAssembly.Named(a, "Position") as int? ?? int.MinValue)))
                .ToList();
            var sets = declared.Select(d => d.Set).Where(s => s != "__AllParameterSets").Distinct().DefaultIfEmpty("__AllParameterSets");
            foreach (var set in sets)
            {
                var positional = declared.Where(d => (d.Set == set || d.Set == "__AllParameterSets") && d.Position != int.MinValue).ToList();
                Assert.True(positional.Select(d => d.Position).Distinct().Count() == positional.Count,
                    $"{CmdletAssembly.CmdletName(type)}, set {set}: two parameters share a position: {string.Join(", ", positional.Select(d => d.Name + "@" + d.Position))}");
            }
        }
    }

    private static IEnumerable<string> Aliases(PropertyInfo property) =>
        property.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == "System.Management.Automation.AliasAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!));

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlet_classes()
    {
        var manifest = File.ReadAllText(Path.Combine(CmdletAssembly.RepositoryRoot, "PkiCmdlets.psd1"));
        var block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var exported = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.DoesNotContain(exported, e => e.Contains('*'));
        Assert.Equal(_cmdlets.CmdletTypes.Select(CmdletAssembly.CmdletName).ToHashSet(), exported);
        foreach (var empty in new[] { "FunctionsToExport", "VariablesToExport" })
        {
            Assert.Matches(empty + @"\s*=\s*@\(\)", manifest);
        }
    }

    [Fact]
    public void The_build_stamps_the_manifest_version_into_both_assemblies()
    {
        var manifest = File.ReadAllText(Path.Combine(CmdletAssembly.RepositoryRoot, "PkiCmdlets.psd1"));
        var version = Version.Parse(Regex.Match(manifest, @"ModuleVersion\s*=\s*'([0-9.]+)'").Groups[1].Value);
        Assert.Equal(version, StripRevision(_cmdlets.Assembly.GetName().Version!));
        Assert.Equal(version, StripRevision(typeof(PkiCmdlets.Core.Requests.CsrService).Assembly.GetName().Version!));

        static Version StripRevision(Version v) => new(v.Major, v.Minor, v.Build);
    }

    [Fact]
    public void The_format_file_and_manifest_name_the_output_types()
    {
        var format = File.ReadAllText(Path.Combine(_cmdlets.Folder, "PkiCmdlets.format.ps1xml"));
        foreach (var type in _cmdlets.CmdletTypes)
        {
            foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute"))
            {
                // Our own types need a view; .NET's (FileInfo) have PowerShell's.
                foreach (var outputType in ((IEnumerable<CustomAttributeTypedArgument>)output.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!)
                    .Where(t => t.FullName!.StartsWith("PkiCmdlets.", StringComparison.Ordinal)))
                {
                    Assert.Contains("<TypeName>" + outputType.FullName + "</TypeName>", format);
                }
            }
        }
        Assert.Contains("PkiCmdlets.format.ps1xml", File.ReadAllText(Path.Combine(CmdletAssembly.RepositoryRoot, "PkiCmdlets.psd1")));
    }

    [Fact]
    public void Every_cmdlet_has_a_help_page_and_a_pester_file()
    {
        foreach (var name in _cmdlets.CmdletTypes.Select(CmdletAssembly.CmdletName))
        {
            var page = Path.Combine(CmdletAssembly.RepositoryRoot, "docs", name + ".md");
            Assert.True(File.Exists(page), "missing help page " + page);
            var text = File.ReadAllText(page);
            Assert.Contains("document type: cmdlet", text);
            Assert.Contains("## SYNOPSIS", text);
            Assert.True(Regex.Matches(text, "^### Example", RegexOptions.Multiline).Count >= 2, name + " needs two examples");
            Assert.True(File.Exists(Path.Combine(CmdletAssembly.RepositoryRoot, "tests", "Pester", name + ".Tests.ps1")), "missing Pester file for " + name);
        }
    }

    [Fact]
    public void Every_parameter_is_documented_on_its_help_page()
    {
        foreach (var type in _cmdlets.CmdletTypes)
        {
            var page = Path.Combine(CmdletAssembly.RepositoryRoot, "docs", CmdletAssembly.CmdletName(type) + ".md");
            if (!File.Exists(page)) continue; // reported by the test above
            var text = File.ReadAllText(page);
            foreach (var parameter in CmdletAssembly.Parameters(type))
            {
                Assert.True(text.Contains("### -" + parameter.Name + "\n") || text.Contains("### -" + parameter.Name + "\r\n"),
                    $"{CmdletAssembly.CmdletName(type)}: parameter -{parameter.Name} is not documented");
            }
        }
    }
}

public sealed class CmdletAssemblyFixture : IDisposable
{
    public CmdletAssembly Cmdlets { get; } = new();

    public void Dispose() => Cmdlets.Dispose();
}
