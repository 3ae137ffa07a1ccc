import type { ServerCatalog } from '../types.js';

/**
 * MCP-Slicer (zhaoyouj/mcp-slicer 0.2.1), the MCP server for 3D Slicer. Input schemas are exactly what
 * FastMCP derives from the Python signatures (reference: mcp-slicer.md §5); the server declares no
 * annotations, so MCP's defaults apply (not read-only, possibly destructive, open world).
 * Lint, init and the fixture simulator all read this one definition.
 */
export const mcpSlicer: ServerCatalog = {
  id: 'mcp-slicer',
  name: 'MCP-Slicer',
  serverName: 'SlicerMCP',
  summary: 'Drives 3D Slicer (medical imaging) through its WebServer module on localhost:2016.',
  launch: ['uvx', 'mcp-slicer'],
  homepage: 'https://github.com/zhaoyouj/mcp-slicer',
  source: 'builtin',
  tools: [
    {
      name: 'list_nodes',
      summary: 'Lists the nodes of the loaded MRML scene by name, id or properties, optionally narrowed by class, name or id.',
      inputSchema: {
        properties: {
          filter_type: { default: 'names', title: 'Filter Type', type: 'string' },
          class_name: { default: null, title: 'Class Name', type: 'string' },
          name: { default: null, title: 'Name', type: 'string' },
          id: { default: null, title: 'Id', type: 'string' },
        },
        title: 'list_nodesArguments',
        type: 'object',
      },
      category: 'Read',
      risk: 'Low',
      reason: 'Only reads scene metadata through GET requests; it cannot change the scene.',
      evidence: ['name token "list"', 'GET /mrml/names, /mrml/ids, /mrml/properties only'],
      confidence: 1,
      recommendation: { action: 'allow' },
    },
    {
      name: 'execute_python_code',
      summary: "Runs arbitrary Python inside 3D Slicer's interpreter; the value assigned to __execResult is returned.",
      inputSchema: {
        properties: {
          code: { title: 'Code', type: 'string' },
        },
        required: ['code'],
        title: 'execute_python_codeArguments',
        type: 'object',
      },
      category: 'Execute',
      risk: 'High',
      reason:
        "Arbitrary code execution in a desktop application with the user's file and network access; it can do everything the other tools can and more.",
      evidence: ['name tokens "execute", "python", "code"', 'parameter "code" (string)', 'POST /exec runs the body with exec()'],
      confidence: 1,
      recommendation: { action: 'limit', max: 10, window: 'minute' },
    },
    {
      name: 'capture_screenshot',
      summary: 'Captures the application window, a 2D slice view or the 3D view as a PNG image for vision models.',
      inputSchema: {
        properties: {
          view_type: { default: 'application', title: 'View Type', type: 'string' },
          view_name: { default: null, title: 'View Name', type: 'string' },
          slice_offset: { default: null, title: 'Slice Offset', type: 'number' },
          slice_orientation: { default: null, title: 'Slice Orientation', type: 'string' },
          camera_axis: { default: null, title: 'Camera Axis', type: 'string' },
          image_size: { default: null, title: 'Image Size', type: 'integer' },
        },
        title: 'capture_screenshotArguments',
        type: 'object',
      },
      category: 'Read',
      risk: 'Low',
      reason: 'Reads pixels from the running application; note that the images may show patient data.',
      evidence: ['name token "capture"', 'GET /screenshot, /slice, /threeD only'],
      confidence: 1,
      recommendation: { action: 'allow' },
      // Since mcp-slicer 0.3.0 (PR #5) a slice screenshot is taken by Python code that the server
      // builds with view_name pasted into a string literal and sends to /exec: a view_name of
      // `red'); import os; os.system('…'); ('` runs any code, past execute_python_code's rules.
      // Only the three slice views pass, or no view_name (FastMCP refuses a null for `view_name: str = None`).
      argumentRules: [
        {
          conditions: [{ path: 'args.view_name', op: 'not_in', value: ['red', 'yellow', 'green', 'Red', 'Yellow', 'Green', 'RED', 'YELLOW', 'GREEN'] }],
          on_deny: 'capture_screenshot: view_name must be red, yellow or green (mcp-slicer pastes it into Python code that Slicer runs)',
        },
      ],
    },
  ],
};
