"""Module tree: registration, traversal, modes, grads, state_dict round trip and strict errors, repr."""

import numpy as np
import pytest

import nn
from autograd_core import Tensor


class Affine(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(3))
        self.inner = nn.Linear(3, 2, seed=0)

    def forward(self, x):
        return self.inner(x * self.scale)


def test_registration_and_traversal():
    m = Affine()
    assert [n for n, _ in m.named_parameters()] == ["scale", "inner.weight", "inner.bias"]
    assert list(m.children()) == [m.inner]
    assert list(m.modules()) == [m, m.inner]
    assert m.num_parameters() == 3 + 6 + 2


def test_reassigning_an_attribute_drops_its_registration():
    m = Affine()
    m.scale = None
    assert [n for n, _ in m.named_parameters()] == ["inner.weight", "inner.bias"]
    del m.inner
    assert list(m.parameters()) == []


def test_shared_parameters_are_listed_once():
    lin = nn.Linear(2, 2, seed=0)
    model = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(model.parameters())) == 2
    assert [n for n, _ in model.named_modules()] == ["", "0", "1"]


def test_assignment_before_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.ones(1))

    with pytest.raises(TypeError, match="super\\(\\).__init__"):
        Broken()


def test_forward_must_be_defined():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1.0)


def test_train_eval_reach_every_module():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Sequential(nn.ReLU()))
    model.eval()
    assert not any(m.training for m in model.modules())
    assert model.train() is model
    assert all(m.training for m in model.modules())
    with pytest.raises(TypeError, match="train"):
        model.train("no")


def test_zero_grad_sets_none():
    model = nn.MLP(2, [3], 1, seed=0)
    model(np.ones((4, 2))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_is_a_copy_and_round_trips():
    a = nn.MLP(2, [4, 3], 2, seed=0)
    b = nn.MLP(2, [4, 3], 2, seed=1)
    state = a.state_dict()
    assert list(state) == [n for n, _ in a.named_parameters()]
    assert all(isinstance(v, np.ndarray) for v in state.values())
    x = np.random.default_rng(0).normal(size=(5, 2))
    assert not np.allclose(a(x).numpy(), b(x).numpy())
    result = b.load_state_dict(state)
    assert result == {"missing_keys": [], "unexpected_keys": []}
    np.testing.assert_array_equal(a(x).numpy(), b(x).numpy())
    state["layers.0.weight"][...] = 99  # the copy is detached from the model
    assert not (a.layers[0].weight.numpy() == 99).any()


def test_load_casts_to_parameter_dtype_in_place():
    m = nn.Linear(2, 2, seed=0)
    weight_array = m.weight.data
    m.load_state_dict({"weight": np.ones((2, 2)), "bias": np.zeros(2)})
    assert m.weight.data is weight_array and m.weight.dtype == np.float32
    np.testing.assert_array_equal(m.weight.numpy(), np.ones((2, 2), np.float32))


def test_strict_load_names_missing_and_unexpected_keys():
    m = nn.Linear(2, 2, seed=0)
    with pytest.raises(KeyError, match=r"missing \['bias'\].*unexpected \['extra'\]"):
        m.load_state_dict({"weight": np.ones((2, 2)), "extra": np.ones(1)})
    result = m.load_state_dict({"weight": np.ones((2, 2)), "extra": np.ones(1)}, strict=False)
    assert result == {"missing_keys": ["bias"], "unexpected_keys": ["extra"]}


def test_load_shape_mismatch_names_key_and_both_shapes_and_writes_nothing():
    m = nn.MLP(2, [3], 1, seed=0)
    before = m.state_dict()
    state = dict(before)
    state["layers.0.bias"] = np.zeros(3)
    state["layers.2.weight"] = np.zeros((1, 4))
    with pytest.raises(ValueError, match=r"'layers.2.weight'.*\(1, 4\).*\(1, 3\)"):
        m.load_state_dict(state)
    for k, v in m.state_dict().items():
        np.testing.assert_array_equal(v, before[k])
    with pytest.raises(ValueError, match=r"shape mismatch"):
        m.load_state_dict(state, strict=False)
    with pytest.raises(TypeError, match="mapping"):
        m.load_state_dict([1, 2])


def test_repr_shows_tree_and_parameter_counts():
    text = repr(nn.MLP(2, [16], 1, activation="leaky_relu", seed=0))
    assert "(layers): Sequential(" in text
    assert "(0): Linear(in_features=2, out_features=16, bias=True)  # 48 params" in text
    assert "(1): LeakyReLU(negative_slope=0.01)" in text
    assert text.endswith(")  # 65 params")
    assert repr(nn.Dropout(0.25)) == "Dropout(p=0.25)"


def test_sequential_indexing_and_errors():
    seq = nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=0))
    assert isinstance(seq[-1], nn.Linear) and len(seq[:2]) == 2
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"]
    with pytest.raises(IndexError, match="index 5"):
        seq[5]
    with pytest.raises(TypeError, match="index 3"):
        seq.append("relu")


def test_parameter_defaults_and_errors():
    p = nn.Parameter([1, 2, 3])
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf and p.dtype == np.float32
    assert nn.Parameter(np.zeros(2), dtype=np.float64).dtype == np.float64
    assert "Parameter containing" in repr(p)
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter([1.0], dtype=np.int64)
    with pytest.raises(TypeError, match="real numbers"):
        nn.Parameter(np.array(["a"]))


# -- PyTorch habits: to/double/float, apply, requires_grad_, ModuleList/ModuleDict -------------------
def test_to_double_float_cast_parameters_grads_and_inputs_in_place():
    model = nn.MLP(2, [3], 1, seed=0)
    weight = model.layers[0].weight
    model(np.ones((2, 2))).sum().backward()
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    assert model.double() is model
    assert model.layers[0].weight is weight  # same Parameter: the optimizer still holds it
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    assert weight.grad.dtype == np.float64
    x = np.array([[0.1, 0.2]])
    out = model(x)
    assert out.dtype == np.float64  # float64 input is no longer cast down to float32
    opt.step()
    assert weight.dtype == np.float64
    assert model.float().layers[2].weight.dtype == np.float32 and model(x).dtype == np.float32
    assert model.to("float64").layers[0].dtype == np.float64
    with pytest.raises(TypeError, match="floating dtype"):
        model.to(np.int64)
    with pytest.raises(TypeError, match="no devices"):
        model.to("cuda")


def test_a_float32_model_checked_in_float64_with_double():
    from autograd_core import gradcheck

    model = nn.MLP(2, [4], 1, activation="tanh", seed=0).double()
    x = np.random.default_rng(0).normal(size=(3, 2))
    assert gradcheck(lambda inp: model(inp).sum(), x)


def test_apply_visits_children_first_then_self():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    seen = []
    assert model.apply(lambda m: seen.append(type(m).__name__)) is model
    assert seen == ["ReLU", "Sequential", "Linear", "Sequential"]
    with pytest.raises(TypeError, match="callable"):
        model.apply(3)


def test_requires_grad_freezes_and_unfreezes():
    model = nn.MLP(2, [3], 1)
    model.layers[0].requires_grad_(False)
    assert [p.requires_grad for p in model.parameters()] == [False, False, True, True]
    assert model.requires_grad_() is model and all(p.requires_grad for p in model.parameters())


class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2, seed=i) for i in range(2)])
        self.heads = nn.ModuleDict({"a": nn.Linear(2, 1, seed=3), "b": nn.Linear(2, 3, seed=4)})

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.heads["a"](x), self.heads["b"](x)


def test_module_list_and_dict_register_their_children():
    model = Tower()
    assert list(model.state_dict()) == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
        "heads.a.weight", "heads.a.bias", "heads.b.weight", "heads.b.bias",
    ]  # fmt: skip
    assert model.num_parameters() == 2 * 6 + 3 + 9
    model.eval()
    assert not model.layers[1].training and not model.heads["b"].training
    a, b = model(np.ones((5, 2)))
    assert a.shape == (5, 1) and b.shape == (5, 3)
    model.double()
    assert model.heads["b"].weight.dtype == np.float64
    clone = Tower()
    clone.load_state_dict(model.state_dict())
    assert np.array_equal(clone.layers[1].weight.numpy(), model.layers[1].weight.numpy().astype(np.float32))
    assert "(layers): ModuleList(" in repr(model) and "(a): Linear" in repr(model)


def test_module_list_operations_and_errors():
    lst = nn.ModuleList()
    lst.append(nn.ReLU()).extend([nn.Tanh(), nn.Sigmoid()])
    lst.insert(0, nn.Linear(1, 1))
    assert [type(m).__name__ for m in lst] == ["Linear", "ReLU", "Tanh", "Sigmoid"]
    assert [n for n, _ in lst.named_children()] == ["0", "1", "2", "3"]
    lst[1] = nn.GELU()
    del lst[0]
    assert [type(m).__name__ for m in lst] == ["GELU", "Tanh", "Sigmoid"] and len(lst) == 3
    assert [n for n, _ in lst.named_children()] == ["0", "1", "2"]
    assert isinstance(lst[1:], nn.ModuleList) and len(lst[1:]) == 2 and type(lst[-1]).__name__ == "Sigmoid"
    with pytest.raises(TypeError, match="index 3"):
        lst.append("relu")
    with pytest.raises(IndexError, match="index 7"):
        lst[7]
    with pytest.raises(NotImplementedError, match="iterate over it"):
        lst(np.ones(2))


def test_module_dict_operations_and_errors():
    d = nn.ModuleDict([("x", nn.ReLU())])
    d["y"] = nn.Tanh()
    d.update({"z": nn.Sigmoid()})
    assert list(d) == d.keys() == ["x", "y", "z"] and "y" in d and len(d) == 3
    del d["x"]
    assert [k for k, _ in d.items()] == ["y", "z"]
    with pytest.raises(KeyError, match="keys are"):
        d["missing"]
    with pytest.raises(KeyError, match="without '.'"):
        d["a.b"] = nn.ReLU()
    with pytest.raises(TypeError, match="must be an nn.Module"):
        d["w"] = 3
    d["train"] = nn.ReLU()  # a key named like a method does not shadow it
    assert d.train() is d


def test_plain_list_of_modules_warns_with_the_pytorch_fix():
    class ListNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 1)]

    with pytest.warns(UserWarning, match=r"ListNet.layers is a plain list of Modules.*nn.ModuleList"):
        ListNet()

    class AppendNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = {}
            self.blocks["a"] = nn.Linear(2, 2)

    net = AppendNet()
    with pytest.warns(UserWarning, match=r"AppendNet.blocks is a plain dict.*nn.ModuleDict"):
        assert list(net.parameters()) == []  # not registered, exactly as in PyTorch

    class Fine(nn.Module):
        def __init__(self):
            super().__init__()
            self.sizes = [2, 3]
            self.layers = nn.ModuleList([nn.Linear(2, 3)])

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(list(Fine().parameters())) == 2


def test_parameter_dtype_rule():
    # Arrays and Tensors keep their floating dtype; Python data and integers become float32.
    assert nn.Parameter(np.ones(2)).dtype == np.float64
    assert nn.Parameter(np.ones(2, dtype=np.float32)).dtype == np.float32
    assert nn.Parameter(Tensor(np.ones(2))).dtype == np.float64
    assert nn.Parameter(np.float64(1.0)).dtype == np.float64
    assert nn.Parameter([1.0, 2.0]).dtype == np.float32
    assert nn.Parameter([1, 2]).dtype == np.float32
    assert nn.Parameter(3.0).dtype == np.float32
    assert nn.Parameter(np.arange(3)).dtype == np.float32
    assert nn.Parameter([1.0, 2.0], dtype=np.float64).dtype == np.float64
    a = np.zeros(3)
    assert nn.Parameter(a).data is a  # no copy when the dtype is kept
