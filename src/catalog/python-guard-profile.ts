/**
 * The strict profile: a `python` guard for tools that run Python (MCP-Slicer's execute_python_code,
 * Blender's execute_blender_code, a code runner's run_python), written by `init --strict`.
 * It denies code that spawns processes, opens network connections itself, deletes or moves files,
 * installs packages, escapes static analysis, or does not parse; everything else stays allowed
 * (os.path, open(), numpy, vtk, qt widgets, ctk, slicer.*, SampleData, SimpleITK).
 * Pure data plus a pure function; docs/python-guard.md explains every entry.
 */
import type { PythonGuard, ToolRules } from '../policy/schema.js';
import type { CatalogTool } from './types.js';

export const STRICT_PYTHON_GUARD: PythonGuard = {
  deny_modules: [
    // processes
    'subprocess', 'pty', 'multiprocessing', 'concurrent.futures.process', 'webbrowser', 'antigravity', 'distutils.spawn',
    // network
    'socket', 'ssl', 'urllib.request', 'urllib.urlopen', 'urllib.urlretrieve', 'urllib2', 'urllib3', 'http.client', 'http.server', 'httplib', 'requests', 'httpx', 'aiohttp',
    'ftplib', 'smtplib', 'poplib', 'imaplib', 'nntplib', 'telnetlib', 'socketserver', 'xmlrpc', 'paramiko', 'websockets',
    'websocket', 'pycurl', 'zmq', 'asyncssh', 'dicomweb_client', 'wsgiref.simple_server', 'urllib.robotparser', 'smtpd', 'asyncore', 'asynchat',
    // processes and network through libraries a Python environment may have: process runners,
    // IPython's, the build tools under distutils (numpy.distutils' exec_command, a compiler's spawn),
    // f2py (runs compilers); clients of clouds, queues, databases, DICOM networking and DNS
    'pexpect', 'plumbum', 'fabric', 'invoke', 'docker', 'git', 'IPython.utils.process', 'distutils', 'venv',
    'grpc', 'boto3', 'botocore', 'httplib2', 'tornado.httpclient', 'twisted', 'pika', 'redis', 'pymongo', 'psycopg2', 'pymysql',
    'mysql.connector', 'pynetdicom', 'smbclient', 'pysftp', 'dropbox', 'google.cloud', 'azure.storage', 'ldap3', 'dns.resolver', 'scapy',
    // package installation
    'pip', 'ensurepip', 'conda', 'mamba', 'micropip',
    // mailboxes delete their message files (Maildir.clean removes old files under any folder's tmp/)
    'mailbox',
    // pipes.Template runs each step it is given as a shell command (Python 3.12 and older)
    'pipes',
    // every Qt network class, under PythonQt's own module name as well as qt's
    'PythonQt.QtNetwork',
    // Found in round 18: dbm's pure-Python database (dbm.open falls back to it) deletes <name>.dat/.dir/.bak
    // when opened with 'n' and renames <name>.dir to <name>.bak when it saves
    'dbm',
  ],
  deny_calls: [
    // Denied modules' members by name as well: dotted names count anywhere in a chain, so these also
    // catch a module reached as another module's attribute (`asyncio.subprocess.Popen`, `x.socket.socket`).
    'subprocess.run', 'subprocess.Popen', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
    'subprocess.getoutput', 'subprocess.getstatusoutput', 'pty.spawn', 'pty.fork', 'multiprocessing.Process', 'multiprocessing.Pool',
    'socket.socket', 'socket.create_connection', 'socket.create_server', 'socket.socketpair', 'socket.fromfd',
    'ssl.wrap_socket', 'ssl.create_connection', 'requests.get', 'requests.post', 'requests.put', 'requests.patch',
    'requests.delete', 'requests.head', 'requests.request', 'requests.Session', 'http.client.HTTPConnection',
    'http.client.HTTPSConnection', 'urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib.request.Request',
    'ftplib.FTP', 'smtplib.SMTP', 'smtplib.SMTP_SSL', 'pip.main', 'ensurepip.bootstrap',
    // processes
    'os.system', 'os.popen', 'os.exec*', 'os.spawn*', 'os.posix_spawn*', 'os.fork*', 'os.startfile', 'platform.popen',
    '**.create_subprocess_exec', '**.create_subprocess_shell', 'concurrent.futures.ProcessPoolExecutor',
    // an event loop's own process methods (loop.subprocess_exec), as well as asyncio's helpers above
    '**.subprocess_exec', '**.subprocess_shell',
    'qt.QProcess', 'PythonQt.QtCore.QProcess', '**.QProcess', 'qt.QDesktopServices.openUrl',
    'slicer.util.launchConsoleProcess', 'launchConsoleProcess',
    // Slicer starts its bundled Qt Designer with any arguments (slicer.app.launchDesigner(args))
    '**.launchDesigner', '**.startQtDesigner',
    // a scripted module's Edit button runs the program the Python/Editor setting names (a QSettings write away)
    '**.onEditSource',
    // VTK's process launchers (vtkExecutableRunner runs any command, in a shell if asked)
    '**.vtkExecutableRunner', '**.vtkPExecutableRunner', '**.vtkCommandLineProcess',
    // Slicer started again runs its startup files (~/.slicerrc.py), which open() may just have written
    'slicer.util.restart', 'slicer.app.restart', '**.app.restart',
    // Qt's desktop services under any module name (PythonQt.QtGui): a browser to any URL, or any file's handler
    '**.QDesktopServices.openUrl',
    // commands run by the standard library's corners (uuid's private MAC finders run any program) and SimpleITK's viewer (bundled with Slicer:
    // ImageViewer.SetCommand / SetGlobalDefaultApplication choose what it runs), f2py, psutil; written
    // with ** where a rooted name would make `import numpy as np` or `import SimpleITK as sitk` hand
    // around a module with a denied name under it
    'uuid._get_command_stdout', 'uuid._find_mac*', 'pydoc.pipepager', 'pydoc.tempfilepager', 'pydoc.pager', 'pydoc.getpager',
    '**.exec_command', '**.f2py', '**.ImageViewer', '**.ImageViewer_*', 'psutil.Popen',
    // the standard library's macOS helper runs a shell command line (_read_output; any platform imports it)
    '_osx_support',
    // SimpleITK's Show() runs an external viewer (Fiji, or whatever SITK_SHOW_COMMAND names); an event
    // loop's private process transport (loop._make_subprocess_transport), and anything else named subprocess
    '**.Show', '**.*subprocess*',
    // Slicer's ScreenCapture module runs the ffmpeg its settings name (setFfmpegPath picks any program;
    // ffmpegDownload fetches and unpacks one); Slicer's CLI modules (slicer.cli.run) stay allowed
    '**.setFfmpegPath', '**.ffmpegDownload', '**.createVideo',
    // network (Slicer's own downloads, SampleData and slicer.util.downloadFile, stay allowed)
    'asyncio.open_connection', 'asyncio.start_server', 'asyncio.open_unix_connection', 'asyncio.start_unix_server',
    // numpy's DataSource fetches any URL it is given (urlopen underneath; on any receiver, as a rooted name would make
    // `import numpy as np` hand around a module with a denied name under it); Slicer's vtkHTTPHandler uploads a file to any URL
    '**.DataSource', '**.datasource', '**.vtkHTTPHandler', '**.StageFileWrite',
    '**.create_connection', '**.create_datagram_endpoint', '**.create_server',
    // the same through asyncio's submodules and an event loop's own methods (loop.create_unix_connection)
    '**.open_connection', '**.start_server', '**.open_unix_connection', '**.start_unix_server',
    '**.create_unix_connection', '**.create_unix_server', '**.getaddrinfo', '**.getnameinfo',
    // name lookups through the socket module wherever it is reached (`email.utils.socket.gethostbyname`)
    '**.gethostbyname*', '**.gethostbyaddr', '**.getfqdn',
    // XML parsers that fetch a document named by URL (xml.sax.parse(url) calls urlopen on it)
    'xml.sax.parse', 'xml.sax.make_parser', 'xml.sax.expatreader', 'xml.sax.xmlreader', '**.prepare_input_source', 'xml.dom.xmlbuilder',
    // web views load any URL (a query string carries data out)
    '**.qSlicerWebWidget', '**.QWebEngineView', '**.QWebEnginePage', '**.QWebView',
    // logging handlers that send records over the network
    'logging.handlers.HTTPHandler', 'logging.handlers.SocketHandler', 'logging.handlers.DatagramHandler',
    'logging.handlers.SysLogHandler', 'logging.handlers.SMTPHandler',
    // name lookups carry data out too (a host name made of what the code read)
    '**.QHostInfo',
    // Qt's network classes under any module name (qt, PythonQt.QtNetwork, a name bound by an earlier call)
    '**.QNetworkAccessManager', '**.QTcpSocket', '**.QUdpSocket', '**.QSslSocket', '**.QTcpServer', '**.QLocalSocket',
    '**.QLocalServer', '**.QWebSocket', '**.QWebSocketServer', '**.QAbstractSocket', '**.QDnsLookup', '**.QSctpSocket',
    '**.QSctpServer', '**.QDtls',
    // VTK's sockets; Slicer's DICOM sender and listeners (they run DCMTK's storescu/storescp as processes
    // and send images to, or take them from, any host named in the code)
    '**.vtkClientSocket', '**.vtkServerSocket', '**.vtkSocketCommunicator', '**.vtkSocketController',
    '**.DICOMSender', '**.DICOMListener', '**.DICOMStoreSCPProcess', 'DICOMLib.DICOMProcess', 'DICOMLib.DICOMProcesses',
    // the MONAI Label extension's client: uploads images to, and runs models on, any server named in the code
    '**.MONAILabelClient',
    // Slicer's web server and OpenIGTLink connections: a port open to the network (a server serves any
    // folder or the scene; a connector talks to any host)
    'WebServer.WebServerLogic', '**.WebServerLogic', '**.vtkMRMLIGTLConnectorNode', 'vtkMRMLIGTLConnectorNode',
    // …and its module widget's start (it listens on all interfaces, with the exec handler if its box is ticked) and its HTTP server class
    '**.startServer', '**.SlicerHTTPServer',
    // A connector made by class name (AddNewNodeByClass('vtkMRMLIGTLConnectorNode')) is only seen by its methods.
    '**.SetTypeClient', '**.SetTypeServer',
    // deleting or moving files
    'os.remove', 'os.unlink', 'os.rmdir', 'os.removedirs', 'os.rename', 'os.renames', 'os.replace', 'os.truncate',
    'shutil.rmtree', 'shutil.move', '**.unlink', '**.rmdir', '**.rmtree', '**.removedirs',
    'pathlib.**.rename', 'pathlib.**.replace', '**.Path.rename', '**.Path.replace', '**.PosixPath.rename', '**.PosixPath.replace',
    'qt.QFile.remove', 'qt.QFile.rename', 'qt.QFile.moveToTrash', 'qt.QDir.remove', 'qt.QDir.rmdir', 'qt.QDir.rmpath',
    'qt.QDir.rename', '**.removeRecursively', '**.QFile.remove', '**.QFile.rename', '**.QDir.remove', '**.QDir.rename', '**.QDir.rmpath',
    // a file system model deletes files (remove) and, once made writable, renames them as its data is edited
    '**.QFileSystemModel.remove', '**.QFileSystemModel.setReadOnly',
    // shutil's private tree removers (what rmtree calls); VTK's own directory removal and renaming
    'shutil._rmtree*', '**.DeleteDirectory', '**.vtkDirectory.Rename',
    // Python 3.14's Path.move/move_into; send2trash (moves files to the trash)
    'pathlib.**.move*', '**.Path.move*', '**.PosixPath.move*', 'send2trash',
    // Slicer's DICOM database: removing a patient, study or series deletes the files it copied in, on any
    // receiver (`ctk.ctkDICOMDatabase()` opened on Slicer's database file, or one handed to a function)
    '**.removePatient', '**.removeStudy', '**.removeSeries',
    // Found in round 16. Qt's deleters under other names: QFile.moveToTrash on any module, QFile's static
    // remove/rename through its subclass QTemporaryFile, and QLockFile, whose stale-lock clean-up deletes
    // whatever file it is pointed at
    '**.moveToTrash', '**.QTemporaryFile.remove', '**.QTemporaryFile.rename', '**.QLockFile', '**.removeStaleLockFile',
    // Slicer's remote-data cache manager deletes the folder it is pointed at (after a sentinel file open() can write)
    '**.SetRemoteCacheDirectory', '**.ClearCache', '**.PruneCache', '**.DeleteFromCache',
    // a rotating log handler's rotate() moves any file to any name, doRollover() moves its file aside, and a
    // namer makes the rollover delete any file (logging to the handler, as its own log file rolls over, stays allowed)
    '**.*Rotating*Handler.rotat*', '**.*Rotating*Handler.doRollover', '**.*Rotating*Handler.namer',
    // uninstalling a Slicer extension deletes its files
    '**.uninstallExtension', '**.scheduleExtensionForUninstall', '**.uninstallScheduledExtensions',
    // Slicer's helpers that clean up after themselves: downloadAndExtractArchive removes its archive path and
    // its output folder when the download or extraction fails (a file that is not an archive will do);
    // DICOMUtils.deleteTemporaryDatabase removes the folder of whatever database it is given
    '**.downloadAndExtractArchive', '**.deleteTemporaryDatabase',
    // package installation
    'slicer.util.pip_install', 'slicer.util.pip_uninstall', 'pip_install', 'pip_uninstall',
    'slicer.packaging.pip_install', 'slicer.packaging.pip_uninstall', 'slicer.packaging.pip_ensure', 'slicer.packaging._pip*',
    // the same on any receiver: `pkg = slicer.packaging` in an earlier call, then `pkg.pip_ensure(...)`
    '**.pip_install', '**.pip_uninstall', '**.pip_ensure',
    // setup() runs the commands it is given (`install`, and the package's own setup code)
    'setuptools.setup',
    // what pip_install runs underneath (slicer.util._executePythonModule: PythonSlicer -m pip), and
    // Slicer extensions, which install code (and may restart Slicer) from the extensions server or an archive
    '**.executePythonModule', '**.installExtension*', '**.downloadAndInstallExtension*', '**.scheduleExtensionForUpdate',
    // Slicer's own exec: runs Python given as a string, which the guard cannot read (its manager on any
    // receiver: qt.QApplication.instance() is slicer.app, and getVariable reads the console's names by string)
    'slicer.app.pythonManager', '**.pythonManager', '**.executeString', '**.executeFile', '**.evalScript', '**.evalFile',
    // Slicer's imports by a name given as a string: LazyImport (a global of MCP-Slicer's exec), the
    // helpers that copy a module's names into another, and reloading a scripted module from its file
    '**.LazyImport', '**.importModuleObjects', '**.import*ClassesFromDirectory', '**.reloadScriptedModule',
    // a scripted module's Reload button (ScriptedLoadableModuleWidget.onReload: reloadScriptedModule underneath)
    '**.onReload', '**.onReloadAndTest',
    // The handler that runs MCP-Slicer's code is a global there too; its exec() runs any string, and
    // so do the live handlers of a running web server
    '**.SlicerRequestHandler', '**.requestHandlers',
    // Found in round 17 (docs/dev/python-parsers.md). Runners of programs under other names: Slicer's DICOM
    // testing server (runs programs from the folder it is given; DICOMCommand with a path is an escape,
    // src/python/switched-escapes.ts), asyncio's private process transports (capital S)
    '**.DICOMTestingQRServer', '**.DICOMProcess', '**.*Subprocess*',
    // setuptools' own installers: a Distribution runs the commands it is given, fetch_build_eggs runs pip
    'setuptools.dist', 'setuptools.Distribution', 'setuptools.installer', 'setuptools.command', '**.fetch_build_egg*',
    // DICOM listeners and senders started through Slicer's DICOM module or CTK's scheduler (a port open to
    // any host), and the send dialog, whose OK sends the files it was given
    '**.startListener', '**.onToggleListener', '**.DICOMSendDialog',
    // Slicer's web server reached as a module (its widget's logic: slicer.modules.WebServerWidget.logic.start(),
    // and getModuleLogic('WebServer'), which the guard reads as slicer.modules.webserver); with ** so that
    // `m = slicer.modules` does not hand around a module with a denied name under it
    '**.modules.webserver', '**.modules.WebServerWidget', '**.modules.WebServerInstance', '**.WebServerWidget',
    // pydicom's downloader fetches any URL to any file (like numpy's DataSource, it exists to fetch; on any
    // receiver, as a rooted name would make `import pydicom as dicom` hand around a module with a denied name under it)
    '**.download_with_progress',
    // Slicer's helpers that delete: clearDatabase removes every file the DICOM database copied in,
    // removeEmptyDirs every empty folder under a path, ScreenCapture's deleteTemporaryFiles any file its pattern names
    '**.clearDatabase', '**.removeEmptyDirs', '**.deleteTemporaryFiles',
    // Qt 5's older file-system model deletes (remove) and, once writable, renames as QFileSystemModel does
    '**.QDirModel.remove', '**.QDirModel.setReadOnly',
    // a file emptied through its descriptor, as os.truncate; tempfile's private wrappers and TemporaryDirectory's
    // class-level clean-up delete whatever name they are given (td.cleanup() of its own folder stays allowed)
    'os.ftruncate', 'tempfile._TemporaryFileWrapper', 'tempfile._TemporaryFileCloser', 'tempfile.**._cleanup', 'tempfile.**._rmtree',
    // Found in round 18 (docs/dev/python-parsers.md). Saving the scene into a folder as a data bundle first removes
    // that folder with everything in it (vtkMRMLScene::SaveSceneToSlicerDataBundleDirectory), whatever folder it is
    // given; on the scene or the application logic, so on any receiver
    '**.SaveSceneToSlicerDataBundleDirectory',
    // a QDir the code did not make with QDir(…): QDir.home()/temp()/current()/root(), a QFileInfo's dir() or
    // absoluteDir() (whatever found the QFileInfo: QDir.drives()[0]) and a file dialog's directory() return one,
    // whose remove/rename delete and move files; rmpath is QDir's alone, on any receiver
    // (by name: QDir(d).entryList().remove('.') is a list's)
    '**.QDir.home.remove', '**.QDir.home.rename', '**.QDir.temp.remove', '**.QDir.temp.rename', '**.QDir.current.remove',
    '**.QDir.current.rename', '**.QDir.root.remove', '**.QDir.root.rename', '**.dir.remove', '**.dir.rename',
    '**.absoluteDir.remove', '**.absoluteDir.rename', '**.directory.remove', '**.directory.rename', '**.rmpath',
    // Qt's network cache: clear() and remove() delete its cache files under whatever folder it is pointed at
    '**.QNetworkDiskCache',
    // Slicer's running DICOM listener (a global while it runs): its process is a live QProcess, its clean-up
    // deletes whatever files it lists, and it restarts with whatever storescp and dcmdump it was told; a
    // DICOMCommand's process, once started, is a QProcess too
    '**.dicomListener', '**.DICOMCommand.process',
    // the terminal Slicer was started from: TIOCSTI pushes characters into its input, which the shell then runs
    // as commands (by its number too, so ioctl as a whole)
    'fcntl.ioctl', '**.TIOCSTI',
  ],
  deny_unanalysable: true,
  deny_unparsable: true,
};

export const STRICT_ON_DENY =
  'Denied by the strict Python guard: the code may not start processes, open network connections, delete or move files, install packages, or use constructs the guard cannot analyse (exec, eval, __import__, computed getattr, dunder attributes, …).';

/** Parameter names that carry source code. */
const CODE_PARAMETERS = /^(code|source|source_code|script|python|python_code|py_code|program|snippet|command_code)$/i;

/**
 * The parameter of a tool that takes Python code, if it has one: a string parameter named like code,
 * on a tool whose name, description or parameter mentions Python (or Blender, whose code is Python).
 */
export function pythonCodeParameter(tool: CatalogTool): string | undefined {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown; description?: unknown; title?: unknown }>;
  for (const [name, schema] of Object.entries(properties)) {
    if (!CODE_PARAMETERS.test(name) || (schema.type !== undefined && schema.type !== 'string')) continue;
    const text = [tool.name, tool.summary, tool.description ?? '', name, String(schema.description ?? ''), String(schema.title ?? '')].join(' ');
    if (/python|\bpy\b|blender/i.test(text)) return name;
  }
  return undefined;
}

/** The tool's rules with the strict guard added first in deny_if (its limits and other rules are kept). */
export function withPythonGuard(rules: ToolRules, parameter: string): ToolRules {
  const guard = { conditions: [{ path: `args.${parameter}`, op: 'python' as const, value: STRICT_PYTHON_GUARD }], on_deny: STRICT_ON_DENY };
  return { ...rules, deny_if: [guard, ...(rules.deny_if ?? [])] };
}
