using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: Xunit.TestFramework("GraphRag.Neo4j.Tests.LiveTestFramework", "GraphRag.Neo4j.Tests")]

// The live suites share one dedicated server and clear what they wrote: one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace GraphRag.Neo4j.Tests;

/// <summary>
/// xunit 2 has no dynamic skip, and the live suites inherit their [Fact]s from the conformance project, so the skip is
/// decided at discovery: without <c>GRAPHRAG_TEST_NEO4J_URL</c> every test in the <c>Live</c> namespace is reported skipped
/// with the reason. The unit tests (no server) always run.
/// </summary>
public sealed class LiveTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string Variable = "GRAPHRAG_TEST_NEO4J_URL";

    public const string SkipReason = Variable + " not set: live Neo4j tests skipped";

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider source, IMessageSink diagnostics)
        : XunitTestFrameworkDiscoverer(assembly, source, diagnostics)
    {
        protected override bool FindTestsForType(
            ITestClass testClass, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var live = testClass.Class.Name.StartsWith(typeof(Live.LiveServer).Namespace + ".", StringComparison.Ordinal);
            return live && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable))
                ? base.FindTestsForType(testClass, includeSourceInformation, new Skipping(messageBus, DiagnosticMessageSink), discoveryOptions)
                : base.FindTestsForType(testClass, includeSourceInformation, messageBus, discoveryOptions);
        }
    }

    /// <summary>Passes discovery messages on with each test case replaced by one that is skipped with <see cref="SkipReason"/>.</summary>
    private sealed class Skipping(IMessageBus inner, IMessageSink diagnostics) : IMessageBus
    {
        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestCaseDiscoveryMessage { TestCase: IXunitTestCase test })
            {
                message = new TestCaseDiscoveryMessage(new XunitSkippedDataRowTestCase(
                    diagnostics, TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, test.TestMethod, SkipReason, test.TestMethodArguments));
            }

            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
